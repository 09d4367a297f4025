/** Shared set-up for the benchmarks: a scratch database of a kind with policies applied and demo data loaded. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseKind } from '@airlock/db';
import { InMemoryKeyring } from '@airlock/deid';
import { writeDemoCsv } from '@airlock/demo';
import { ingestFile, type IngestSummary } from '@airlock/ingest';
import { applyRepoPolicies, createTestDatabase, TEST_ACTOR, type TestDatabase } from '@airlock/testing';

export const benchTmp = mkdtempSync(path.join(os.tmpdir(), 'airlock-bench-'));

/** The demo CSV with `rows` rows (written once per run and size). */
export async function demoCsv(rows: number): Promise<string> {
  const file = path.join(benchTmp, `admissions-${rows}.csv`);
  await writeDemoCsv(file, { rows, seed: 'bench' });
  return file;
}

/** A scratch database; PostgreSQL needs `pgAdminUrl`. */
export async function scratchDatabase(kind: DatabaseKind, pgAdminUrl: string | undefined): Promise<TestDatabase> {
  if (kind === 'postgres') process.env['AIRLOCK_TEST_PG_URL'] = pgAdminUrl;
  return createTestDatabase(kind);
}

/** Apply the repository's policies and ingest a demo CSV. */
export async function loadDemo(test: TestDatabase, file: string, keys = InMemoryKeyring.generate(1)): Promise<IngestSummary> {
  const { set, versions } = await applyRepoPolicies(test.database);
  return ingestFile({
    database: test.database,
    policy: set.datasets.get('admissions')!,
    policyVersion: versions.get('admissions')!.version,
    keys,
    file,
    actor: TEST_ACTOR,
  });
}
