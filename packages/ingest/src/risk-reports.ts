import { sqlRunner, type AirlockDatabase } from '@airlock/db';
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
  const rows = await database.withZone('catalog', (trx) =>
    sqlRunner(trx).query<Record<string, unknown>>(
      `select id, dataset, created_at, reason, policy_version, report from catalog.risk_reports where dataset = $1 order by id desc limit 1`,
      [dataset],
    ),
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  return {
    id: Number(row['id']),
    dataset: String(row['dataset']),
    createdAt: row['created_at'] as Date,
    reason: row['reason'] as RiskReportRecord['reason'],
    policyVersion: Number(row['policy_version']),
    report: (typeof row['report'] === 'string' ? JSON.parse(row['report']) : row['report']) as StoredRiskReport,
  };
}
