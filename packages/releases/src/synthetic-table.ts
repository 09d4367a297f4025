import { quoteIdent, type BulkSession } from '@airlock/db';
import type { ColumnType, DatasetPolicy } from '@airlock/policy';

/** Columns of the synthetic zone: every column the deidentified zone does not drop, raw-typed. */
export function syntheticColumns(policy: DatasetPolicy): Array<{ name: string; type: ColumnType }> {
  return policy.columns.filter((c) => c.deidentified.kind !== 'drop').map((c) => ({ name: c.name, type: c.type }));
}

const SQL_TYPE: Record<ColumnType, string> = {
  string: 'text',
  integer: 'bigint',
  number: 'double precision',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamptz',
};

/** (Re)create `synthetic.<dataset>` in the policy's current shape; runs as the owner. */
export async function recreateSyntheticTable(session: BulkSession, policy: DatasetPolicy): Promise<void> {
  await session.setRole('owner');
  const table = `synthetic.${quoteIdent(policy.dataset)}`;
  const columns = syntheticColumns(policy).map((c) => `${quoteIdent(c.name)} ${SQL_TYPE[c.type]}`);
  await session.query(`drop table if exists ${table}`);
  await session.query(`create table ${table} (_row_id uuid primary key, _release_id bigint not null, ${columns.join(', ')})`);
}
