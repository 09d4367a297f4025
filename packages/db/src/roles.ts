/**
 * Database roles. Each zone has a role with grants on its own schema only; `aggregate` has
 * column-level SELECT on restricted tables (subject token, declared dimensions, dates, measures)
 * granted per dataset; `audit` may only INSERT and SELECT audit events; `catalog` holds policies,
 * datasets and the model registry; `ledger` holds the privacy-loss ledger and the cached noisy
 * answers it paid for. `owner` owns every schema and table and runs migrations.
 * None of them is a superuser or can log in: the connecting user switches to one per transaction.
 */
export const DB_ROLES = ['restricted', 'deidentified', 'aggregate', 'synthetic', 'audit', 'catalog', 'ledger'] as const;
export type DbRole = (typeof DB_ROLES)[number];

export const OWNER_ROLE = 'airlock_owner';

/** The PostgreSQL role name behind an Airlock database role. */
export function roleName(role: DbRole): string {
  return `airlock_${role}`;
}

/** Schemas; each zone schema is named for its zone. */
export const SCHEMAS = ['restricted', 'deidentified', 'synthetic', 'audit', 'catalog', 'ledger'] as const;
export type SchemaName = (typeof SCHEMAS)[number];
