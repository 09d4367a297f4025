/**
 * Rejected rows over GraphQL: stewards of a dataset list what ingest refused (file, line, column,
 * reason, the record as read), paged, audited as a restricted read; other roles do not see the
 * field at all.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeDemoCsv } from '@airlock/demo';
import { ingestFile } from '@airlock/ingest';
import { loadPolicySet } from '@airlock/catalog';
import { TEST_ACTOR, testDatabaseKinds } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayHarness, type GatewayHarness } from './support/gateway-harness.ts';

const QUERY = 'query($first: Int, $offset: Int) { ingestRejects(dataset: "admissions", first: $first, offset: $offset) { total rows { load file line column reason raw } } }';

describe.each(testDatabaseKinds())('ingestRejects on %s', (kind) => {
  let gw: GatewayHarness;
  beforeAll(async () => {
    gw = await startGatewayHarness(kind, { demoRows: 300 });
    const file = path.join(gw.dataDir, 'bad.csv');
    await writeDemoCsv(file, { rows: 40, seed: 'rejects-gql' });
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    lines[2] = lines[2]!.replace(/,(F|M),/u, ',X,');
    lines[5] = `${lines[5]},extra`;
    lines[9] = lines[9]!.replace(/,(F|M),/u, ',Q,');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { set, versions } = await loadPolicySet(gw.database);
    const summary = await ingestFile({ database: gw.database, policy: set.datasets.get('admissions')!, policyVersion: versions.get('admissions')!.version, keys: gw.keys, file, actor: TEST_ACTOR });
    expect(summary.rejected).toBe(3);
  }, 240_000);
  afterAll(() => gw?.close());

  it('lists the rejected records to stewards, paged, and audits the read', async () => {
    const steward = await gw.token(['steward'], 'steward-rejects');
    const all = await gw.gql<{ ingestRejects: { total: number; rows: Array<Record<string, unknown>> } }>(steward, QUERY);
    expect(all.errors, all.raw).toBeUndefined();
    expect(all.data!.ingestRejects.total).toBe(3);
    expect(all.data!.ingestRejects.rows.map((r) => [r['file'], r['line'], r['column']])).toEqual([
      ['bad.csv', 3, 'sex'],
      ['bad.csv', 6, null],
      ['bad.csv', 10, 'sex'],
    ]);
    expect(String(all.data!.ingestRejects.rows[0]!['raw'])).toContain(',X,');
    const page = await gw.gql<{ ingestRejects: { total: number; rows: Array<{ line: number }> } }>(steward, QUERY, { first: 1, offset: 1 });
    expect(page.data!.ingestRejects).toEqual({ total: 3, rows: [expect.objectContaining({ line: 6 })] });
    const bad = await gw.gql(steward, QUERY, { first: 0 });
    expect(bad.errors?.[0]).toMatchObject({ message: expect.stringContaining('limit must be a whole number from 1 to 10000'), extensions: { code: 'BAD_USER_INPUT' } });
    const audit = await gw.database.withZone('audit', (trx) =>
      sql<{ n: number }>`select count(*)::int as n from audit.events where actor = 'steward-rejects' and zone = 'restricted' and outcome = 'allowed'`.execute(trx),
    );
    expect(audit.rows[0]!.n).toBeGreaterThanOrEqual(2);
  });

  it('does not exist for analysts', async () => {
    const res = await gw.gql(await gw.token(['analyst']), QUERY);
    // The gateway does not tell a missing field from a forbidden one.
    expect(res.errors?.[0]?.message).toBe('Not allowed, or no such field.');
    expect(res.data ?? null).toBeNull();
  });
});
