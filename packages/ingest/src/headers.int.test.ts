import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InMemoryKeyring } from '@airlock/deid';
import { writeDemoCsv } from '@airlock/demo';
import type { DatasetPolicy } from '@airlock/policy';
import { applyRepoPolicies, createTestDatabase, TEST_ACTOR, testDatabaseKinds, type TestDatabase } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from './index.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'airlock-headers-'));

/** Real exports name columns as people write them: spaces, capitals, symbols, a byte-order mark. */
const HEADERS: Record<string, string> = { admitted_at: 'Admitted At (UTC)', cost: 'Total Cost $', ward: 'Ward / Unit' };

describe.each(testDatabaseKinds())('source headers declared in the policy, on %s', (kind) => {
  let test: TestDatabase;
  let policy: DatasetPolicy;
  const file = path.join(tmp, `real-${kind}.csv`);

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    const { set } = await applyRepoPolicies(test.database);
    const repo = set.datasets.get('admissions')!;
    policy = { ...repo, columns: repo.columns.map((c) => (HEADERS[c.name] ? { ...c, header: HEADERS[c.name] } : c)) };
    const plain = path.join(tmp, `plain-${kind}.csv`);
    await writeDemoCsv(plain, { rows: 300, seed: 'headers' });
    const [header, ...rest] = readFileSync(plain, 'utf8').split('\n');
    // The file's columns renamed as a spreadsheet would, quoted where needed, with a BOM.
    const renamed = header!.split(',').map((name) => (HEADERS[name] ? `"${HEADERS[name]}"` : name));
    writeFileSync(file, `\uFEFF${renamed.join(',')}\n${rest.join('\n')}`);
  });
  afterAll(() => test.drop());

  it('loads a file whose header uses the declared texts, each field into its column', async () => {
    const summary = await ingestFile({ database: test.database, policy, policyVersion: 1, keys: InMemoryKeyring.generate(1), file, actor: TEST_ACTOR });
    expect(summary).toMatchObject({ read: 300, loaded: 300, rejected: 0 });
    const rows = await test.database.withZone('restricted', (trx) =>
      sql<{ n: number; wards: number; costs: number }>`select count(*)::int as n, count(distinct ward)::int as wards, count(cost)::int as costs from restricted.admissions`.execute(trx),
    );
    expect(rows.rows[0]).toMatchObject({ n: 300, costs: 300 });
    expect(rows.rows[0]!.wards).toBeGreaterThan(3);
  });

  it('an undeclared header gets a message naming it and the policy line that would declare it', async () => {
    const extra = path.join(tmp, `extra-${kind}.csv`);
    const [header, ...rest] = readFileSync(file, 'utf8').split('\n');
    writeFileSync(extra, `${header},Flight Date\n${rest.filter(Boolean).map((l) => `${l},2024-01-01`).join('\n')}\n`);
    const error = await ingestFile({ database: test.database, policy, policyVersion: 1, keys: InMemoryKeyring.generate(1), file: extra, actor: TEST_ACTOR }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INGEST_FILE_INVALID' });
    expect((error as Error).message).toContain(`undeclared column(s) "Flight Date"`);
    expect((error as Error).message).toContain(`flight_date: { header: "Flight Date", type: string, class: attribute }`);
  });
});
