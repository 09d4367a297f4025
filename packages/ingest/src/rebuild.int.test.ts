import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { InMemoryKeyring } from '@airlock/deid';
import { writeDemoCsv } from '@airlock/demo';
import { applyRepoPolicies, createTestDatabase, TEST_ACTOR, testDatabaseKinds, type TestDatabase } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile, rebuildDataset } from './index.ts';

describe.each(testDatabaseKinds())('rebuild and key rotation on %s', (kind) => {
  let test: TestDatabase;
  const v1 = { version: 1, key: randomBytes(32) };
  const keysV1 = new InMemoryKeyring([v1]);
  const keysV2 = new InMemoryKeyring([v1, { version: 2, key: randomBytes(32) }]);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'airlock-rebuild-')), 'a.csv');
  const deid = () =>
    test.database.withZone('deidentified', (trx) =>
      sql<{ _row_id: string; mrn: string; email: string; _subject: string }>`select _row_id, mrn, email, _subject from deidentified.admissions order by _row_id`.execute(trx),
    );

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    const { set } = await applyRepoPolicies(test.database);
    await writeDemoCsv(file, { rows: 400, seed: 'rebuild' });
    await ingestFile({ database: test.database, policy: set.datasets.get('admissions')!, policyVersion: 1, keys: keysV1, file, actor: TEST_ACTOR, batchSize: 150 });
  });
  afterAll(() => test.drop());

  it('re-derives every row with the new key version; surrogates stay; audited', async () => {
    const before = (await deid()).rows;
    expect(before.every((r) => r.mrn.startsWith('tk1_'))).toBe(true);
    const { set } = await applyRepoPolicies(test.database);
    const summary = await rebuildDataset({ database: test.database, policy: set.datasets.get('admissions')!, policyVersion: 1, keys: keysV2, actor: TEST_ACTOR });
    expect(summary).toMatchObject({ rows: 400, keyVersion: 2 });
    // The same quasi-identifiers give the same generalization and suppression under either key.
    const after = (await deid()).rows;
    expect(after).toHaveLength(summary.published);
    expect(after.map((r) => r._row_id).sort()).toEqual(before.map((r) => r._row_id).sort());
    expect(after.every((r) => r.mrn.startsWith('tk2_') && r._subject === r.mrn)).toBe(true);
    const emailBefore = new Map(before.map((r) => [r._row_id, r.email]));
    expect(after.every((r) => emailBefore.get(r._row_id) === r.email)).toBe(true);
    expect(summary.risk).toMatchObject({ decision: expect.stringMatching(/published|refused/) });
    const restricted = await test.database.withZone('restricted', (trx) => sql<{ n: number }>`select count(*)::int as n from restricted.admissions where _subject like 'tk2_%'`.execute(trx));
    expect(restricted.rows[0]!.n).toBe(400);
    const events = await test.database.withZone('audit', (trx) => sql<{ n: number }>`select count(*)::int as n from audit.events where event_type = 'rebuild'`.execute(trx));
    expect(events.rows[0]!.n).toBe(1);
  });

  it('refuses to mix derivations: ingest after a key change needs a rebuild first', async () => {
    const { set } = await applyRepoPolicies(test.database);
    const other = path.join(path.dirname(file), 'b.csv');
    await writeDemoCsv(other, { rows: 10, seed: 'other' });
    await expect(
      ingestFile({ database: test.database, policy: set.datasets.get('admissions')!, policyVersion: 1, keys: keysV1, file: other, actor: TEST_ACTOR }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/airlock rebuild admissions/) });
  });
});
