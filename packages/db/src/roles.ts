/**
 * Database roles. Each zone has a role with grants on its own schema only; `aggregate` has
 * column-level SELECT on restricted tables (subject token, declared dimensions, dates, measures)
 * granted per dataset; `audit` may only INSERT and SELECT audit events; `catalog` holds policies,
 * datasets and the model registry; `ledger` holds the privacy-loss ledger and the cached noisy
 * answers it paid for. `owner` owns every schema and table and runs migrations.
 * None of them is a superuser or can log in: the application logs in as {@link LOGIN_ROLE} and
 * switches to one per transaction.
 */
export const DB_ROLES = ['restricted', 'deidentified', 'aggregate', 'synthetic', 'audit', 'catalog', 'ledger'] as const;
export type DbRole = (typeof DB_ROLES)[number];

export const OWNER_ROLE = 'airlock_owner';

/**
 * The role the application's connections log in as (the "authenticator"): not a superuser, owns
 * nothing, has no privileges of its own and inherits none; a member of the zone roles and of
 * {@link JOBS_ROLE} only. Made by migration 0008.
 */
export const LOGIN_ROLE = 'airlock_app';

/** Owns the job queue's schema (pg-boss) and nothing else; see `AirlockDatabase.queueSql`. */
export const JOBS_ROLE = 'airlock_jobs';

/** The PostgreSQL role name behind an Airlock database role. */
export function roleName(role: DbRole): string {
  return `airlock_${role}`;
}

/** Schemas; each zone schema is named for its zone. */
export const SCHEMAS = ['restricted', 'deidentified', 'synthetic', 'audit', 'catalog', 'ledger'] as const;
export type SchemaName = (typeof SCHEMAS)[number];
