import type { BulkSession, ColumnSqlType } from '@airlock/db';
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

const SQL_TYPE: Record<ColumnType, ColumnSqlType> = {
  string: 'text',
  integer: 'bigint',
  number: 'double precision',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamptz',
};

/** (Re)create `synthetic.<dataset>` in the policy's current shape, by the database's named operation. */
export async function recreateSyntheticTable(session: BulkSession, policy: DatasetPolicy): Promise<void> {
  await session.tables.replaceSynthetic({ dataset: policy.dataset, columns: syntheticColumns(policy).map((c) => ({ name: c.name, type: SQL_TYPE[c.type] })) });
}
