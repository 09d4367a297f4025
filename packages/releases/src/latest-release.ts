import type { AirlockDatabase } from '@airlock/db';

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
  const row = await database.withZone('catalog', (trx) => {
    let query = trx
      .selectFrom('catalog.synth_releases')
      .select(['id', 'dataset', 'created_at', 'decision', 'rows', 'policy_version', 'failures', 'reports', 'timings'])
      .where('dataset', '=', dataset);
    if (which === 'published') query = query.where('decision', '=', 'published');
    return query.orderBy('id', 'desc').limit(1).executeTakeFirst();
  });
  if (!row) return undefined;
  return {
    id: row.id,
    dataset: row.dataset,
    createdAt: row.created_at,
    decision: row.decision,
    rows: row.rows,
    policyVersion: row.policy_version,
    failures: row.failures as ReleaseRecord['failures'],
    reports: row.reports as Record<string, unknown>,
    timings: row.timings as Record<string, number>,
  };
}
