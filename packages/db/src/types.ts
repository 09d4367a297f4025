import type { ColumnType, Generated } from 'kysely';

/** Tables with a fixed shape. Dataset tables are created per policy and queried dynamically. */
export interface Database {
  'audit.events': AuditEventsTable;
  'audit.event_types': { event_type: string; description: string };
  'catalog.policies': PoliciesTable;
  'catalog.policy_heads': PolicyHeadsTable;
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
