export { openDatabase, redactUrl } from './open.ts';
export type { AirlockDatabase, DatabaseConfig, DatabaseKind, ZoneOptions, ZoneTransaction } from './open.ts';
export { migrateToLatest, MIGRATIONS_DIR } from './migrate.ts';
export type { MigrateOutcome } from './migrate.ts';
export { DB_ROLES, OWNER_ROLE, SCHEMAS, roleName } from './roles.ts';
export type { DbRole, SchemaName } from './roles.ts';
export type { Database, AuditEventsTable, PoliciesTable, PolicyHeadsTable } from './types.ts';
export { PGliteDialect } from './pglite-dialect.ts';
