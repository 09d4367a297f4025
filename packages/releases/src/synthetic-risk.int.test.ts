import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InMemoryKeyring } from '@airlock/deid';
import { writeDemoCsv } from '@airlock/demo';
import { ingestFile } from '@airlock/ingest';
import type { DatasetPolicy } from '@airlock/policy';
import type { SynthRow } from '@airlock/synth';
import { applyRepoPolicies, createTestDatabase, TEST_ACTOR, type TestDatabase } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticReleaseGate, synthesizeDataset } from './index.ts';

const QUASI = ['birth_date', 'sex', 'zip', 'admitted_at', 'discharged_at'] as const;

/** A label's shape: digits as d (`40-49` → `dd-dd`, `2024` → `dddd`, `9**` → `d**`). */
const shape = (value: unknown): string => String(value).replace(/\d/gu, 'd');

async function restrictedRows(test: TestDatabase): Promise<Array<Record<string, unknown>>> {
  const rows = await test.database.withZone('restricted', (trx) => sql<Record<string, unknown>>`select * from restricted.admissions`.execute(trx));
  return rows.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])));
}

describe('the synthetic zone is never finer than the deidentified one', () => {
  let test: TestDatabase;
  let policy: DatasetPolicy;

  beforeAll(async () => {
    test = await createTestDatabase('pglite');
    const { set } = await applyRepoPolicies(test.database);
    policy = set.datasets.get('admissions')!;
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'airlock-synth-risk-')), 'a.csv');
    await writeDemoCsv(file, { rows: 2000, seed: 'synth-risk' });
    await ingestFile({ database: test.database, policy, policyVersion: 1, keys: InMemoryKeyring.generate(1), file, actor: TEST_ACTOR });
  }, 120_000);
  afterAll(() => test.drop());

  it('releases every quasi-identifier at the deidentified view’s level, with fake identifiers', async () => {
    const result = await synthesizeDataset({ database: test.database, policy, policyVersion: 1, seed: 3, actor: TEST_ACTOR });
    expect(result.decision).toEqual({ kind: 'publish' });
    expect(result.reports.release.realPersonMatches).toBe(0);
    const synthetic = await test.database.withZone('synthetic', (trx) => sql<Record<string, unknown>>`select * from synthetic.admissions`.execute(trx));
    const deidentified = await test.database.withZone('deidentified', (trx) => sql<Record<string, unknown>>`select * from deidentified.admissions`.execute(trx));
    // Sampled rows the transforms refuse (a birth date after the admission) or that reproduce a
    // real person are left out.
    expect(synthetic.rows.length).toBeGreaterThan(1800);
    expect(synthetic.rows.length + result.reports.release.refusedRows + result.reports.release.droppedCopies).toBe(2000);
    // Oracle: the deidentified zone as stored. Every synthetic value of a quasi-identifier has a
    // shape the deidentified zone shows (10-year bands, *, years...), never a finer one (a day, a ZIP3).
    for (const column of QUASI) {
      const published = new Set(deidentified.rows.map((r) => shape(r[column])));
      const released = new Set(synthetic.rows.map((r) => shape(r[column])));
      expect([...released].filter((s) => !published.has(s)), column).toEqual([]);
    }
    // Non-quasi-identifier transforms too: no full birth date, no day-level date anywhere.
    for (const row of synthetic.rows) for (const value of Object.values(row)) expect(String(value)).not.toMatch(/^\d{4}-\d{2}-\d{2}/u);
    const real = await restrictedRows(test);
    const realIds = new Set(real.flatMap((r) => [r['mrn'], r['admission_id'], r['email']]));
    for (const row of synthetic.rows) {
      expect(realIds.has(row['mrn'])).toBe(false);
      expect(realIds.has(row['admission_id'])).toBe(false);
    }
  });

  it('the gate refuses a planted copy of a real person (one of the records the deidentified view had to suppress)', async () => {
    const real = (await restrictedRows(test)) as SynthRow[];
    const published = await test.database.withZone('deidentified', (trx) => sql<{ _row_id: string }>`select _row_id from deidentified.admissions`.execute(trx));
    const kept = new Set(published.rows.map((r) => r._row_id));
    const suppressed = real.find((row) => !kept.has(String(row['_row_id'])));
    expect(suppressed).toBeDefined();
    // The release as sampled passes the same gate (checked in the test above); a copy of a real
    // person, identifiers faked, does not.
    const planted = await syntheticReleaseGate(test.database, policy, real, [{ ...suppressed!, mrn: 'MRN90000000', admission_id: 'ADM900000000' }]);
    expect(planted.report.realPersonMatches).toBe(1);
    expect(planted.failures).toEqual([expect.objectContaining({ figure: 'realPersonMatches', value: 1 })]);
    expect(planted.failures[0]!.message).toMatch(/reproduce real people on every quasi-identifier plus diagnosis/u);
  });
});
