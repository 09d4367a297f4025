import type { AirlockDatabase } from '@airlock/db';
import { sqlRunner } from '@airlock/db';

export interface ReleaseRecord {
  id: number;
  dataset: string;
  createdAt: Date;
  decision: 'published' | 'refused';
  rows: number;
  policyVersion: number;
  failures: Array<{ figure: string; value: number; threshold: number; message: string }>;
  reports: Record<string, unknown>;
  timings: Record<string, number>;
}

/** The newest release of a dataset (`published` only, or any), read as the catalog role. */
export async function latestRelease(database: AirlockDatabase, dataset: string, which: 'published' | 'any' = 'published'): Promise<ReleaseRecord | undefined> {
  const rows = await database.withZone('catalog', (trx) =>
    sqlRunner(trx).query<Record<string, unknown>>(
      `select id, dataset, created_at, decision, rows, policy_version, failures, reports, timings from catalog.synth_releases
        where dataset = $1 ${which === 'published' ? "and decision = 'published'" : ''} order by id desc limit 1`,
      [dataset],
    ),
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: Number(row['id']),
    dataset: String(row['dataset']),
    createdAt: row['created_at'] as Date,
    decision: row['decision'] as ReleaseRecord['decision'],
    rows: Number(row['rows']),
    policyVersion: Number(row['policy_version']),
    failures: row['failures'] as ReleaseRecord['failures'],
    reports: row['reports'] as Record<string, unknown>,
    timings: row['timings'] as Record<string, number>,
  };
}
