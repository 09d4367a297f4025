import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { AirlockDatabase } from '@airlock/db';
import type { KeyProvider } from '@airlock/deid';
import { writeDemoCsv } from '@airlock/demo';
import { datasetRowCount } from '@airlock/ingest';
import type { DatasetPolicy } from '@airlock/policy';
import { ingestThenRefresh, type IngestThenRefreshResult } from './ingest-then-refresh.ts';

export interface DemoDataOptions {
  database: AirlockDatabase;
  /** The applied policy of the demo dataset, with its stored version. */
  policy: DatasetPolicy;
  policyVersion: number;
  keys: KeyProvider;
  /** Demo rows to generate (`AIRLOCK_DEMO_ROWS`); 0 loads nothing. */
  rows: number;
  /** Where the generated CSV is written. */
  file: string;
  actor: { actor: string; roles: readonly string[] };
}

/**
 * On a database with no rows in the demo dataset yet, generate the demo admissions (fixed seed)
 * and ingest them, then refresh the synthetic zone as the policy asks, so a first start has
 * something to query. Returns what it did, or undefined when it did nothing.
 */
export async function loadDemoIfEmpty(options: DemoDataOptions): Promise<IngestThenRefreshResult | undefined> {
  if (options.rows === 0) return undefined;
  if ((await datasetRowCount(options.database, options.policy.dataset)) > 0) return undefined;
  await mkdir(path.dirname(options.file), { recursive: true });
  await writeDemoCsv(options.file, { rows: options.rows, seed: 'airlock-demo' });
  return ingestThenRefresh({
    database: options.database,
    policy: options.policy,
    policyVersion: options.policyVersion,
    keys: options.keys,
    file: options.file,
    actor: options.actor,
  });
}
