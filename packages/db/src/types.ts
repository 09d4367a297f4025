import type { ColumnType, Generated } from 'kysely';

/** Tables with a fixed shape. Dataset tables are created per policy and queried dynamically. */
export interface Database {
  'audit.events': AuditEventsTable;
  'audit.event_types': { event_type: string; description: string };
  'catalog.policies': PoliciesTable;
  'catalog.policy_heads': PolicyHeadsTable;
  'catalog.ingest_sources': IngestSourcesTable;
  'ledger.budgets': LedgerBudgetsTable;
  'ledger.charges': LedgerChargesTable;
  'ledger.answers': LedgerAnswersTable;
}

/** The columns of `catalog.ingest_sources` that other zones may read (the ledger: which loads exist). */
export interface IngestSourcesTable {
  id: ColumnType<number, never, never>;
  dataset: string;
  loaded: number;
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
