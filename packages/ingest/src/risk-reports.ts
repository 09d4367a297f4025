import type { AirlockDatabase } from '@airlock/db';
import type { StoredRiskReport } from './risk-enforcement.ts';

/** A stored risk report with when and why it was made. */
export interface RiskReportRecord {
  readonly id: number;
  readonly dataset: string;
  readonly createdAt: Date;
  readonly reason: 'ingest' | 'rebuild' | 'remove';
  readonly policyVersion: number;
  readonly report: StoredRiskReport;
}

/**
 * The newest risk report of a dataset's deidentified zone (the one its current rows follow), read
 * as the catalog role; undefined before the first derivation. Stewards' reading only: the report
 * holds counts and levels, but who may see it is the caller's decision.
 */
export async function latestRiskReport(database: AirlockDatabase, dataset: string): Promise<RiskReportRecord | undefined> {
  const row = await database.withZone('catalog', (trx) =>
    trx
      .selectFrom('catalog.risk_reports')
      .select(['id', 'dataset', 'created_at', 'reason', 'policy_version', 'report'])
      .where('dataset', '=', dataset)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst(),
  );
  if (row === undefined) return undefined;
  return {
    id: row.id,
    dataset: row.dataset,
    createdAt: row.created_at,
    reason: row.reason,
    policyVersion: row.policy_version,
    report: (typeof row.report === 'string' ? JSON.parse(row.report) : row.report) as StoredRiskReport,
  };
}
