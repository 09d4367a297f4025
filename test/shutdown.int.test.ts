/**
 * SIGTERM with requests in flight (issue 12, finding 5), on each database: `airlock start` stops
 * accepting, finishes every request in flight, writes their audit events, and exits 0.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '@airlock/db';
import { createTestDatabase, ownerOf, POLICIES_DIR, REPO_ROOT, testDatabaseKinds, type TestDatabase } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';

// Slow on purpose (a fine breakdown checked by exact linear algebra); its answer may be data or a
// refusal (BELOW_THRESHOLD): either is a complete answer, which is what a cut request never gets.
const QUERY = '{ admissions { aggregate(groupBy: [ward, sex, diagnosis], dateBucket: { column: admitted_at, grain: week }) { cells { subjects suppressed } } } }';
const IN_FLIGHT = 8;

describe.each(testDatabaseKinds())('SIGTERM with requests in flight on %s', (kind) => {
  let test: TestDatabase | undefined;
  afterAll(() => test?.drop());

  it(`finishes all ${IN_FLIGHT} requests, audits them, and exits 0`, async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'airlock-sigterm-'));
    if (kind === 'postgres') test = await createTestDatabase('postgres', { migrate: false });
    const port = 20000 + Math.floor(Math.random() * 20000);
    const env = {
      ...process.env,
      AIRLOCK_DATA_DIR: dataDir,
      AIRLOCK_POLICIES_DIR: POLICIES_DIR,
      PORT: String(port),
      AIRLOCK_DEMO_ROWS: '2000',
      DATABASE_URL: test?.url ?? '',
      AIRLOCK_LOG_LEVEL: 'warn',
      AIRLOCK_TRAINER: 'off',
    };
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/airlock.mjs'), 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      while (!output.includes('Airlock is running')) {
        if (child.exitCode !== null) throw new Error(`start did not come up:\n${output}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const token = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/airlock.mjs'), 'token', '--role', 'steward'], { env, encoding: 'utf8' }).stdout.trim();
      let signalled = false;
      const finishedAfterSignal: boolean[] = [];
      const requests = Array.from({ length: IN_FLIGHT }, () =>
        fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: QUERY }),
        }).then(async (res) => {
          const body = (await res.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
          finishedAfterSignal.push(signalled);
          const code = body.errors?.[0]?.extensions?.code;
          return { status: res.status, answered: body.errors === undefined ? body.data !== undefined : code === 'BELOW_THRESHOLD' };
        }),
      );
      await new Promise((r) => setTimeout(r, 150));
      child.kill('SIGTERM');
      signalled = true;
      const results = await Promise.all(requests);
      expect(results, output).toEqual(Array.from({ length: IN_FLIGHT }, () => ({ status: 200, answered: true })));
      // The requests were in flight when the signal came: some answered after it.
      expect(finishedAfterSignal.some(Boolean), 'no request was still in flight at SIGTERM; make the query slower').toBe(true);
      expect(await exited, output).toBe(0);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }

    // Every one of them left its audit event (flushed before the database closed).
    const database = kind === 'postgres' ? test!.database : await openDatabase({ dataDir: path.join(dataDir, 'pgdata') });
    try {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit.events where event_type = 'query'`.execute(ownerOf(database));
      expect(rows[0]!.n).toBe(IN_FLIGHT);
    } finally {
      if (kind === 'pglite') await database.close();
    }
  }, 240_000);
});
