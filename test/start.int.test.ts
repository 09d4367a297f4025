/**
 * `npm start` as a newcomer runs it: an empty data folder, no configuration. It serves /healthz
 * and /readyz with the policies applied and demo data loaded, answers GraphQL with a minted
 * token, and on SIGTERM stops within 10 s.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { POLICIES_DIR, REPO_ROOT } from '@airlock/testing';
import { describe, expect, it } from 'vitest';

const OPERATOR_TOKEN = 'operator-token-for-tests';

describe('airlock start (embedded)', () => {
  it('serves health, readiness and GraphQL, then shuts down gracefully on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'airlock-start-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const env = { ...process.env, AIRLOCK_DATA_DIR: dataDir, AIRLOCK_POLICIES_DIR: POLICIES_DIR, PORT: String(port), AIRLOCK_DEMO_ROWS: '300', DATABASE_URL: '', AIRLOCK_LOG_LEVEL: 'warn', AIRLOCK_METRICS_TOKEN: OPERATOR_TOKEN };
    const operator = { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } };
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/airlock.mjs'), 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 120_000;
      while (!output.includes('Airlock is running')) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`start did not come up:\n${output}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(output).toMatch(/Loaded 300 demo admissions/);
      // Minted before any request: spawnSync blocks this process, and a kept-alive connection the
      // server closes meanwhile would be reused unnoticed ("other side closed").
      const minted = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/airlock.mjs'), 'token', '--role', 'analyst'], { env, encoding: 'utf8' });
      // The running server made the development keys at start: no "new keys" warning here.
      expect(minted.stderr).not.toMatch(/No development keys/u);
      const token = minted.stdout.trim();
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
      // Terse for anyone; the details (dataset names, facts) only for the operator token.
      expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
      const ready = (await (await fetch(`${base}/readyz`, operator)).json()) as { status: string; policies: string[] };
      expect(ready).toMatchObject({ status: 'ready', policies: ['admissions', 'adult', 'roles'] });
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ admissions { aggregate(groupBy: [sex]) { cells { sex subjects suppressed } } } }' }),
      });
      const body = (await res.json()) as { data: { admissions: { aggregate: { cells: unknown[] } } } };
      expect(body.data.admissions.aggregate.cells.length).toBeGreaterThan(0);
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      const metrics = await (await fetch(`${base}/metrics`, operator)).text();
      expect(metrics).toMatch(/airlock_graphql_operation_seconds_count\{outcome="allowed"\} 1/);

      const stopAt = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(Date.now() - stopAt).toBeLessThan(10_000);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 180_000);
});
