import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InMemoryKeyring } from '@airlock/deid';
import { writeDemoCsv } from '@airlock/demo';
import { latestRelease } from '@airlock/releases';
import { applyRepoPolicies, createTestDatabase, TEST_ACTOR, testDatabaseKinds, type TestDatabase } from '@airlock/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestThenRefresh, loadDemoIfEmpty, removeThenRefresh } from './index.ts';

describe.each(testDatabaseKinds())('workflows on %s', (kind) => {
  let test: TestDatabase;
  const keys = InMemoryKeyring.generate(1);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-workflows-'));
  beforeAll(async () => {
    test = await createTestDatabase(kind);
    await applyRepoPolicies(test.database);
  }, 120_000);
  afterAll(() => test?.drop());

  const admissions = async () => {
    const { set } = await applyRepoPolicies(test.database);
    return { policy: set.datasets.get('admissions')!, policyVersion: 1 };
  };

  it('loads the demo data once, and refreshes the synthetic zone as the policy asks', async () => {
    const demo = { database: test.database, ...(await admissions()), keys, rows: 600, file: path.join(dir, 'demo', 'admissions.csv'), actor: TEST_ACTOR };
    const loaded = await loadDemoIfEmpty(demo);
    expect(loaded?.ingest.loaded).toBe(600);
    // The workflow's part is to run the release the policy asks for and record it; whether the
    // privacy gate publishes 600 rows depends on the sample (the gate has its own tests).
    expect(loaded?.synthetic.kind).toBe('released');
    const result = loaded?.synthetic.kind === 'released' ? loaded.synthetic.result : undefined;
    expect((await latestRelease(test.database, 'admissions', 'any'))?.id).toBe(result?.releaseId);
    expect((await latestRelease(test.database, 'admissions', 'any'))?.decision).toBe(result?.decision.kind === 'publish' ? 'published' : 'refused');
    expect(await loadDemoIfEmpty(demo)).toBeUndefined(); // not empty any more
  }, 240_000);

  it('ingests then refreshes; a file loaded before changes nothing and releases nothing', async () => {
    const file = path.join(dir, 'more.csv');
    await writeDemoCsv(file, { rows: 300, seed: 'workflows-more' });
    const options = { database: test.database, ...(await admissions()), keys, file, actor: TEST_ACTOR };
    const phases: string[] = [];
    const first = await ingestThenRefresh({ ...options, onSynthesisProgress: (phase) => phases.push(phase) });
    expect(first.ingest.loaded).toBeGreaterThan(0);
    expect(first.synthetic.kind).toBe('released');
    expect(phases).toContain('publish');
    const again = await ingestThenRefresh(options);
    expect(again.ingest.noop).toBe(true);
    expect(again.synthetic).toEqual({ kind: 'not-asked' });
  }, 240_000);

  it('removes a load and re-synthesizes from what is left', async () => {
    const { removal, synthetic } = await removeThenRefresh({ database: test.database, ...(await admissions()), keys, actor: TEST_ACTOR, load: 2 });
    expect(removal).toMatchObject({ load: 2, remainingRows: 600 });
    expect(synthetic.kind).toBe('released');
  }, 240_000);
});
