import { quoteIdent, type BulkSession } from '@airlock/db';
import { deidentifiedRisk, deidentifiedType, type ColumnType, type DatasetPolicy } from '@airlock/policy';

/**
 * Columns of the synthetic zone: every column the deidentified zone does not drop, typed as the
 * deidentified zone types them (the same transforms and generalization apply); identifiers are
 * fake values of their raw type.
 */
export function syntheticColumns(policy: DatasetPolicy): Array<{ name: string; type: ColumnType }> {
  const generalized = new Set(deidentifiedRisk(policy)?.quasiIdentifiers ?? []);
  return policy.columns
    .filter((c) => c.deidentified.kind !== 'drop')
    .map((c) => ({ name: c.name, type: c.class === 'identifier' || c.name === policy.subject ? c.type : (deidentifiedType(c, generalized.has(c.name)) ?? c.type) }));
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
