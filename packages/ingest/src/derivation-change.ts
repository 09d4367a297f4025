import { canonicalJson } from '@airlock/core';
import type { DatasetPolicy } from '@airlock/policy';
import { aggregateColumns, deidentifiedTableColumns } from './dataset-tables.ts';

/**
 * Whether the deidentified zone (and the aggregate role's columns) must be derived again when the
 * applied policy goes from `previous` to `next`: anything that decides a derived value or the
 * zone's shape changed. Budget, synthetic and training settings alone do not need it. Pure.
 */
export function derivationChanged(previous: DatasetPolicy | undefined, next: DatasetPolicy): boolean {
  if (!previous) return true;
  return derivationFingerprint(previous) !== derivationFingerprint(next);
}

function derivationFingerprint(policy: DatasetPolicy): string {
  // Canonical: a stored version comes back from jsonb with its keys in another order.
  return canonicalJson({
    subject: policy.subject,
    columns: policy.columns.map((c) => ({ name: c.name, type: c.type, class: c.class, nullable: c.nullable, values: c.values, deidentified: c.deidentified })),
    deidentified: policy.zones.deidentified ?? null,
    table: deidentifiedTableColumns(policy),
    aggregate: aggregateColumns(policy),
  });
}
