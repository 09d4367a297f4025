import type { ColumnType, Generated } from 'kysely';

/**
 * Tables with a fixed shape, as migrations make them (Kysely's builder checks queries against
 * these). Dataset tables are created per policy and queried dynamically. A row type's columns
 * read as the database hands them back: bigint and numeric as numbers, date as 'YYYY-MM-DD',
 * timestamptz as Date, jsonb parsed.
 */
export interface Database {
  'audit.events': AuditEventsTable;
  'audit.event_types': { event_type: string; description: string };
  'catalog.policies': PoliciesTable;
  'catalog.policy_heads': PolicyHeadsTable;
  'catalog.ingest_sources': IngestSourcesTable;
  'catalog.datasets': DatasetsTable;
  'catalog.synth_releases': SynthReleasesTable;
  'catalog.training_jobs': TrainingJobsTable;
  'catalog.models': ModelsTable;
  'catalog.model_aliases': ModelAliasesTable;
  'catalog.risk_reports': RiskReportsTable;
  'restricted.vault': VaultTable;
  'restricted.ingest_rejects': IngestRejectsTable;
  'restricted.synth_generators': SynthGeneratorsTable;
  'restricted.model_artifacts': ModelArtifactsTable;
  'deidentified.model_artifacts': ModelArtifactsTable;
  'synthetic.model_artifacts': ModelArtifactsTable;
  'ledger.budgets': LedgerBudgetsTable;
  'ledger.charges': LedgerChargesTable;
  'ledger.answers': LedgerAnswersTable;
}

/** A jsonb column: written as JSON text (or a value the driver serializes), read parsed. */
type Json<T> = ColumnType<T, string, string>;
/** A column with a database default, never updated. */
type Stamp = ColumnType<Date, Date | string | undefined, never>;

/**
 * One load of a file into a dataset. The ledger role may read `id`, `dataset` and `loaded` only
 * (which loads exist, so a cached answer is only for the data it saw).
 */
export interface IngestSourcesTable {
  id: ColumnType<number, never, never>;
  dataset: string;
  sha256: string;
  file_name: string;
  bytes: number;
  /** Records in the file, once it has been read to the end. */
  records: number | null;
  loaded: ColumnType<number, number | undefined, number>;
  rejected: ColumnType<number, number | undefined, number>;
  duplicates: ColumnType<number, number | undefined, number>;
  first_started_at: Stamp;
  completed_at: Date | null;
}

/** A dataset's current derivation: the policy and key version its deidentified zone follows. */
export interface DatasetsTable {
  name: string;
  policy_version: number;
  policy_sha256: string;
  key_version: number;
  columns: Json<unknown>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A synthetic release, published or refused, with its reports. */
export interface SynthReleasesTable {
  id: Generated<number>;
  dataset: string;
  created_at: Stamp;
  actor: string;
  policy_version: number;
  policy_sha256: string;
  seed: string;
  rows: number;
  decision: 'published' | 'refused';
  failures: Json<unknown>;
  reports: Json<unknown>;
  timings: Json<unknown>;
  generator_sha256: string;
}

/** The fitted generator of a release (restricted: it is a model of the raw data). */
export interface SynthGeneratorsTable {
  release_id: number;
  model: Json<unknown>;
}

export type TrainingJobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'refused';

export interface TrainingJobsTable {
  id: string;
  dataset: string;
  zone: 'restricted' | 'deidentified' | 'synthetic';
  request: Json<unknown>;
  state: TrainingJobState;
  progress: ColumnType<unknown, string | undefined, string>;
  error: string | null;
  model_id: number | null;
  requested_by: string;
  roles: string[];
  created_at: Stamp;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface ModelsTable {
  id: Generated<number>;
  name: string;
  version: number;
  dataset: string;
  zone: 'restricted' | 'deidentified' | 'synthetic';
  kind: string;
  target: string;
  features: Json<unknown>;
  metrics: Json<unknown>;
  card: Json<unknown>;
  created_by: string;
  created_at: Stamp;
}

export interface ModelAliasesTable {
  name: string;
  alias: string;
  model_id: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A trained model's weights, in the zone it was trained on. */
export interface ModelArtifactsTable {
  model_id: number;
  artifact: Json<unknown>;
}

/** A re-identification risk report, stored with each derivation of the deidentified zone. */
export interface RiskReportsTable {
  id: Generated<number>;
  dataset: string;
  created_at: Stamp;
  reason: 'ingest' | 'rebuild' | 'remove';
  policy_version: number;
  policy_sha256: string;
  decision: 'published' | 'refused';
  k: number;
  suppressed_share: number;
  information_loss: number | null;
  report: Json<unknown>;
}

/** Token vault: a token (or a surrogate's lookup) and its value, sealed under the vault key. */
export interface VaultTable {
  domain: string;
  kind: 'token' | 'surrogate';
  lookup: string;
  public_value: string;
  key_version: number;
  sealed: string;
  created_at: Stamp;
}

/** A record a load refused, kept with its line, column and reason. */
export interface IngestRejectsTable {
  source_id: number;
  record: number;
  line: number;
  column_name: string | null;
  reason: string;
  raw: string;
}

/** Privacy loss spent by one analyst on one dataset in one budget period (zCDP ρ). */
export interface LedgerBudgetsTable {
  analyst: string;
  dataset: string;
  /** 'YYYY-MM-DD', the first day of the period. */
  period_start: string;
  spent_rho: ColumnType<number, number | undefined, number>;
}

export interface LedgerChargesTable {
  id: Generated<number>;
  analyst: string;
  dataset: string;
  period_start: string;
  kind: 'aggregate' | 'synthetic' | 'training' | 'reset';
  rho: number;
  query_hash: string | null;
  at: ColumnType<Date, Date | undefined, never>;
}

/** A released noisy answer, kept so the same question gets the same answer at no new cost. */
export interface LedgerAnswersTable {
  analyst: string;
  dataset: string;
  query_hash: string;
  /** Changes whenever the dataset's loads change: a cached answer is only for the data it saw. */
  data_version: string;
  answer: ColumnType<unknown, string, never>;
  rho: number;
  released_at: ColumnType<Date, Date | undefined, never>;
}

export interface AuditEventsTable {
  seq: ColumnType<number, number, never>;
  at: ColumnType<Date, Date, never>;
  event_type: string;
  actor: string;
  roles: string[];
  action: string;
  dataset: string | null;
  zone: string | null;
  outcome: string;
  details: ColumnType<Record<string, unknown>, string, never>;
  prev_hash: string;
  hash: string;
  /** HMAC-SHA256 of `hash` under the audit key (outside the database); null before audit MACs. */
  mac: string | null;
}

export interface PoliciesTable {
  id: Generated<number>;
  name: string;
  kind: string;
  version: number;
  sha256: string;
  source_path: string;
  content: string;
  model: ColumnType<Record<string, unknown>, string, string>;
  applied_at: ColumnType<Date, Date | undefined, never>;
  applied_by: string;
}

export interface PolicyHeadsTable {
  name: string;
  kind: string;
  version: number;
  sha256: string;
}
