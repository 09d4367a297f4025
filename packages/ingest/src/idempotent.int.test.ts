import type { RecordZone } from '@airlock/core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InMemoryKeyring } from '@airlock/deid';
import { writeDemoCsv } from '@airlock/demo';
import type { DatasetPolicy } from '@airlock/policy';
import { applyRepoPolicies, createTestDatabase, TEST_ACTOR, testDatabaseKinds, type TestDatabase } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile, listLoads, removeData } from './index.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'airlock-idempotent-'));

/** The same rows in another byte form: CRLF, every field quoted, columns in reverse order. */
function reexport(file: string, out: string): void {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const rows = lines.map((line) => line.split(',').reverse());
  writeFileSync(out, rows.map((fields) => fields.map((f) => `"${f.replaceAll('"', '""')}"`).join(',')).join('\r\n') + '\r\n');
}

describe.each(testDatabaseKinds())('loads idempotent by content, and removable, on %s', (kind) => {
  let test: TestDatabase;
  let policy: DatasetPolicy;
  const keys = InMemoryKeyring.generate(1);
  const a = path.join(tmp, `a-${kind}.csv`);
  const b = path.join(tmp, `b-${kind}.csv`);
  const ingest = (file: string) => ingestFile({ database: test.database, policy, policyVersion: 1, keys, file, actor: TEST_ACTOR, batchSize: 250 });
  // Oracle: counts read from the zones' tables, not from the summaries.
  const count = async (zone: RecordZone): Promise<number> =>
    (await test.database.withZone(zone, (trx) => sql<{ n: number }>`select count(*)::int as n from ${sql.table(`${zone}.admissions`)}`.execute(trx))).rows[0]!.n;

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    const { set } = await applyRepoPolicies(test.database);
    policy = set.datasets.get('admissions')!;
    await writeDemoCsv(a, { rows: 700, seed: 'idem-a' });
    await writeDemoCsv(b, { rows: 500, seed: 'idem-b' });
  });
  afterAll(() => test.drop());

  it('re-ingesting the same rows in another byte form loads nothing and reports them as duplicates', async () => {
    expect(await ingest(a)).toMatchObject({ loaded: 700, duplicates: 0 });
    const deidBefore = await count('deidentified');
    const again = path.join(tmp, `a-again-${kind}.csv`);
    reexport(a, again);
    const summary = await ingest(again);
    expect(summary).toMatchObject({ noop: false, read: 700, loaded: 0, duplicates: 700, rejected: 0 });
    expect(await count('restricted')).toBe(700);
    expect(await count('deidentified')).toBe(deidBefore);
    const loads = await listLoads(test.database, 'admissions');
    expect(loads.map((l) => [l.loaded, l.duplicates])).toEqual([
      [700, 0],
      [0, 700],
    ]);
  });

  it('a file with old and new rows loads only the new ones', async () => {
    const mixed = path.join(tmp, `mixed-${kind}.csv`);
    const oldRows = readFileSync(a, 'utf8').trim().split('\n');
    const newRows = readFileSync(b, 'utf8').trim().split('\n').slice(1);
    writeFileSync(mixed, [...oldRows.slice(0, 101), ...newRows].join('\n') + '\n');
    expect(await ingest(mixed)).toMatchObject({ read: 600, loaded: 500, duplicates: 100 });
    expect(await count('restricted')).toBe(1200);
  });

  it('removing one load rebuilds the derived zones from what is left; removing the dataset removes it all; both audited', async () => {
    const loads = await listLoads(test.database, 'admissions');
    const mixed = loads[loads.length - 1]!;
    const summary = await removeData({ database: test.database, policy, policyVersion: 1, keys, actor: TEST_ACTOR, load: mixed.id });
    expect(summary).toMatchObject({ removedRows: 500, remainingRows: 700 });
    expect(await count('restricted')).toBe(700);
    // The deidentified zone is re-derived from the 700 rows left (generalized and suppressed anew).
    const deid = await test.database.withZone('deidentified', (trx) => sql<{ _row_id: string }>`select _row_id from deidentified.admissions`.execute(trx));
    const left = await test.database.withZone('restricted', (trx) => sql<{ _row_id: string }>`select _row_id from restricted.admissions`.execute(trx));
    const leftIds = new Set(left.rows.map((r) => r._row_id));
    expect(deid.rows.length).toBeGreaterThan(0);
    expect(deid.rows.every((r) => leftIds.has(r._row_id))).toBe(true);
    expect(summary.risk).toMatchObject({ decision: expect.stringMatching(/published|refused/) });
    // The same file can be loaded again once its load is removed.
    expect(await ingest(b)).toMatchObject({ loaded: 500, duplicates: 0 });
    const whole = await removeData({ database: test.database, policy, policyVersion: 1, keys, actor: TEST_ACTOR });
    expect(whole).toMatchObject({ removedRows: 1200, load: undefined });
    await expect(count('restricted')).rejects.toMatchObject({ code: '42P01' });
    await expect(count('deidentified')).rejects.toMatchObject({ code: '42P01' });
    expect(await listLoads(test.database, 'admissions')).toEqual([]);
    const events = await test.database.withZone('audit', (trx) => sql<{ details: Record<string, unknown> }>`select details from audit.events where event_type = 'ingest.remove' order by seq`.execute(trx));
    expect(events.rows.map((e) => e.details['whole'])).toEqual([false, true]);
    // And the dataset can be loaded from scratch.
    expect(await ingest(a)).toMatchObject({ loaded: 700 });
  });
});
