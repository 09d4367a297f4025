import { minOf } from '@airlock/core';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InMemoryKeyring } from '@airlock/deid';
import { writeDemoCsv } from '@airlock/demo';
import type { DatasetPolicy } from '@airlock/policy';
import { applyRepoPolicies, createTestDatabase, TEST_ACTOR, testDatabaseKinds, type TestDatabase } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile, latestRiskReport, rebuildDataset } from './index.ts';

const ROWS = 2000;
const QUASI = ['birth_date', 'sex', 'zip', 'admitted_at', 'discharged_at'] as const;

describe.each(testDatabaseKinds())('risk targets at ingest and rebuild on %s', (kind) => {
  let test: TestDatabase;
  let policy: DatasetPolicy;
  const keys = InMemoryKeyring.generate(1);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'airlock-risk-')), 'admissions.csv');

  /** Oracle: published classes counted in distinct real patients (MRNs read from restricted). */
  async function classSizes(): Promise<number[]> {
    const deid = await test.database.withZone('deidentified', (trx) => sql<Record<string, string>>`select * from deidentified.admissions`.execute(trx));
    const truth = await test.database.withZone('restricted', (trx) => sql<{ _row_id: string; mrn: string }>`select _row_id, mrn from restricted.admissions`.execute(trx));
    const mrnOf = new Map(truth.rows.map((r) => [r._row_id, r.mrn]));
    const classes = new Map<string, Set<string>>();
    for (const row of deid.rows) {
      const key = QUASI.map((q) => row[q]).join('|');
      classes.set(key, (classes.get(key) ?? new Set()).add(mrnOf.get(row['_row_id']!)!));
    }
    return [...classes.values()].map((s) => s.size);
  }

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    const { set } = await applyRepoPolicies(test.database);
    policy = set.datasets.get('admissions')!;
    await writeDemoCsv(file, { rows: ROWS, seed: 'risk-ingest' });
  });
  afterAll(() => test.drop());

  it('publishes the deidentified zone generalized to k = 5 in distinct patients, and stores the report', async () => {
    const summary = await ingestFile({ database: test.database, policy, policyVersion: 1, keys, file, actor: TEST_ACTOR });
    expect(summary.risk).toMatchObject({ decision: 'published' });
    expect(summary.published).toBeGreaterThanOrEqual(ROWS * 0.95);
    const sizes = await classSizes();
    expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(minOf(sizes)).toBeGreaterThanOrEqual(5);
    const stored = await latestRiskReport(test.database, 'admissions');
    expect(stored).toMatchObject({ reason: 'ingest', report: { decision: 'published', targets: { k: 5, l: 2, maxSuppressed: 0.05 } } });
    const report = stored!.report;
    expect(report.before.uniqueShare).toBeGreaterThan(0.9);
    expect(report.after!.k).toBe(minOf(sizes));
    expect(report.after!.records).toBe(summary.published);
    expect(report.suppressed.records).toBe(ROWS - summary.published);
    expect(report.generalization.map((g) => g.column)).toEqual([...QUASI]);
    expect(report.informationLoss).toBeGreaterThan(0);
    // cost is kept to the cent: nearly every admission has its own, a second key.
    expect(report.warnings.map((w) => w.column)).toContain('cost');
  });

  it('refuses to publish when the allowed generalization cannot reach k, naming the columns in the way', async () => {
    // Planted policy: no quasi-identifier may be coarsened beyond its transform.
    const capped: DatasetPolicy = {
      ...policy,
      zones: { ...policy.zones, deidentified: { ...policy.zones.deidentified!, hierarchies: QUASI.map((column) => ({ column, maxLevel: 0, bands: undefined, groups: undefined })) } },
    };
    const summary = await rebuildDataset({ database: test.database, policy: capped, policyVersion: 1, keys, actor: TEST_ACTOR });
    expect(summary.risk).toMatchObject({ decision: 'refused' });
    expect(summary.published).toBe(0);
    const count = await test.database.withZone('deidentified', (trx) => sql<{ n: number }>`select count(*)::int as n from deidentified.admissions`.execute(trx));
    expect(count.rows[0]!.n).toBe(0);
    const stored = (await latestRiskReport(test.database, 'admissions'))!;
    expect(stored.reason).toBe('rebuild');
    expect(stored.report.after).toBeNull();
    expect(stored.report.blockers.length).toBeGreaterThan(0);
    expect(stored.report.blockers[0]!.reason).toMatch(/capped/);
    const audit = await test.database.withZone('audit', (trx) => sql<{ details: Record<string, unknown> }>`select details from audit.events where event_type = 'rebuild' order by seq desc limit 1`.execute(trx));
    expect(audit.rows[0]!.details['risk']).toMatchObject({ decision: 'refused' });
    // Back to the real policy: published again.
    const again = await rebuildDataset({ database: test.database, policy, policyVersion: 1, keys, actor: TEST_ACTOR });
    expect(again.risk).toMatchObject({ decision: 'published' });
    expect(minOf((await classSizes()))).toBeGreaterThanOrEqual(5);
  });
});
