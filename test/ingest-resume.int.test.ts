/**
 * An ingest killed with SIGKILL midway leaves whole batches only, and running it again loads
 * exactly what is missing: nothing lost, nothing duplicated. The ingest runs as the real CLI in a
 * child process, killed once it reports committed batches.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAuditKeyFile, useAuditKey } from '@airlock/audit';
import { migrateToLatest, openDatabase, type AirlockDatabase } from '@airlock/db';
import { writeDemoCsv } from '@airlock/demo';
import { applyRepoPolicies, createTestDatabase, REPO_ROOT, testDatabaseKinds } from '@airlock/testing';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';

const ROWS = 2500;
const BATCH = 125;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'airlock-resume-'));
const csv = path.join(tmp, 'admissions.csv');

beforeAll(async () => {
  await writeDemoCsv(csv, { rows: ROWS, seed: 'resume' });
});

/** Run the CLI; resolve with its exit code and stderr, or kill it when `killWhen` matches a line. */
function runCli(args: string[], env: Record<string, string>, killWhen?: (line: string) => boolean): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/airlock.mjs'), ...args], {
      env: { ...process.env, ...env, AIRLOCK_PROGRESS: 'lines', AIRLOCK_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (killWhen && stderr.split('\n').some(killWhen)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

const loadedAtLeast = (n: number) => (line: string) => {
  const match = /loaded=(\d+)/.exec(line);
  return match !== null && Number(match[1]) >= n;
};

async function counts(database: AirlockDatabase): Promise<{ restricted: number; distinct: number; deidentified: number }> {
  const restricted = await database.withZone('restricted', (trx) =>
    sql<{ n: number; d: number }>`select count(*)::int as n, count(distinct admission_id)::int as d from restricted.admissions`.execute(trx),
  );
  const deid = await database.withZone('deidentified', (trx) => sql<{ n: number }>`select count(*)::int as n from deidentified.admissions`.execute(trx));
  return { restricted: restricted.rows[0]!.n, distinct: restricted.rows[0]!.d, deidentified: deid.rows[0]!.n };
}

describe.each(testDatabaseKinds())('kill -9 during ingest on %s', (kind) => {
  it('leaves whole batches, and the re-run loads exactly what is missing', async () => {
    const dataDir = mkdtempSync(path.join(tmp, `${kind}-`));
    const env: Record<string, string> = { AIRLOCK_DATA_DIR: dataDir, AIRLOCK_KEYRING: path.join(dataDir, 'keyring.json') };
    // This process applies the policies (audited) into the chain the CLI goes on writing: both sign with the data folder's key.
    useAuditKey(await loadAuditKeyFile(path.join(dataDir, 'audit.key'), { create: true }));
    let open: () => Promise<AirlockDatabase>;
    let cleanup = async (): Promise<void> => undefined;
    if (kind === 'postgres') {
      const test = await createTestDatabase('postgres');
      await applyRepoPolicies(test.database);
      await test.database.close();
      env['DATABASE_URL'] = test.url!;
      open = () => openDatabase({ url: test.url });
      cleanup = test.drop;
    } else {
      env['DATABASE_URL'] = '';
      open = async () => {
        const database = await openDatabase({ dataDir: path.join(dataDir, 'pgdata') });
        await migrateToLatest(database);
        return database;
      };
      const database = await open();
      await applyRepoPolicies(database);
      await database.close();
    }
    try {
      const killed = await runCli(['ingest', 'admissions', csv, '--batch-size', String(BATCH)], env, loadedAtLeast(BATCH * 3));
      expect(killed.signal).toBe('SIGKILL');

      let database = await open();
      const afterKill = await counts(database);
      await database.close();
      expect(afterKill.restricted).toBeGreaterThanOrEqual(BATCH * 3);
      expect(afterKill.restricted).toBeLessThan(ROWS);
      expect(afterKill.restricted % BATCH).toBe(0); // whole batches only
      // The deidentified zone is derived once a load is complete (k-anonymity is a property of
      // the whole dataset): a killed load publishes nothing from its partial rows.
      expect(afterKill.deidentified).toBe(0);

      const resumed = await runCli(['ingest', 'admissions', csv, '--batch-size', String(BATCH)], env);
      expect(resumed.code, resumed.stderr).toBe(0);

      database = await open();
      const resumedCounts = await counts(database);
      expect(resumedCounts).toMatchObject({ restricted: ROWS, distinct: ROWS });
      // Published after the policy's risk targets: at most 5% of the records suppressed.
      expect(resumedCounts.deidentified).toBeGreaterThanOrEqual(ROWS * 0.95);
      expect(resumedCounts.deidentified).toBeLessThanOrEqual(ROWS);
      await database.close();

      const again = await runCli(['ingest', 'admissions', csv], env);
      expect(again.code).toBe(0);
    } finally {
      await cleanup();
    }
  }, 240_000);
});
