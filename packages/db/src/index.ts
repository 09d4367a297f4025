export { openDatabase } from './open.ts';
export { redactUrl } from './login.ts';
export type { AirlockDatabase, DatabaseConfig, DatabaseKind, ZoneOptions, ZoneStep, ZoneTransaction } from './open.ts';
export { migrateToLatest, MIGRATIONS_DIR } from './migrate.ts';
export type { MigrateOutcome } from './migrate.ts';
export { DB_ROLES, JOBS_ROLE, LOGIN_ROLE, OWNER_ROLE, SCHEMAS, roleName } from './roles.ts';
export type { DbRole, SchemaName } from './roles.ts';
export type {
  Database,
  AuditEventsTable,
  DatasetsTable,
  IngestRejectsTable,
  IngestSourcesTable,
  LedgerAnswersTable,
  LedgerBudgetsTable,
  LedgerChargesTable,
  ModelAliasesTable,
  ModelArtifactsTable,
  ModelsTable,
  PoliciesTable,
  PolicyHeadsTable,
  RiskReportsTable,
  SynthGeneratorsTable,
  SynthReleasesTable,
  TrainingJobState,
  TrainingJobsTable,
  VaultTable,
} from './types.ts';
export { PGliteDialect } from './pglite-dialect.ts';
export { quoteIdent, sqlRunner } from './bulk.ts';
export type { BulkSession, SqlRunner } from './bulk.ts';
export type { ColumnSqlType, DatasetTables, TableColumn } from './dataset-tables.ts';
export { makePrivate } from './private-files.ts';
