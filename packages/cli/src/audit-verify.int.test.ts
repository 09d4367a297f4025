import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '@airlock/db';
import { ownerOf, REPO_ROOT } from '@airlock/testing';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';

/*
 * `airlock audit verify` as a user runs it, in a child process on an embedded database: it names
 * the head it checked and the anchor outside the database, survives its reader closing the pipe,
 * and finds the newest event removed behind its back (which the unkeyed, unanchored chain missed).
 */

const BIN = path.join(REPO_ROOT, 'bin', 'airlock.mjs');

function sh(script: string, dataDir: string): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, AIRLOCK_DATA_DIR: dataDir, AIRLOCK_LOG_LEVEL: 'silent' };
  delete env['DATABASE_URL'];
  const result = spawnSync('bash', ['-c', `set -o pipefail; ${script}`], { env, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('airlock audit verify (child process, embedded database)', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'airlock-verify-'));

  it('names the head it checked and the anchor it compared it with', () => {
    expect(sh(`node ${BIN} audit verify`, dataDir).status).toBe(0);
    const second = sh(`node ${BIN} audit verify`, dataDir);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/Audit chain intact: 1 event\(s\), head event 1, hash [0-9a-f]{64}\./);
    expect(second.stdout).toContain(`Anchor: ${path.join(dataDir, 'audit-head.json')} records event 1, hash`);
  }, 180_000);

  it('`audit verify | head -1` exits 0 (no EPIPE crash) and still records its own event', () => {
    const piped = sh(`node ${BIN} audit verify | head -1`, dataDir);
    expect(piped.stderr).not.toMatch(/EPIPE|Error/);
    expect(piped.status).toBe(0);
    expect(piped.stdout.trim().split('\n')).toHaveLength(1);
    expect(sh(`node ${BIN} audit verify`, dataDir).stdout).toMatch(/intact: 3 event\(s\)/);
  }, 180_000);

  it('leaves the data folder private: folders 0700, files 0600, the embedded database and its WAL included (issue 12, finding 11)', () => {
    const open = sh(`find ${dataDir} \\( -type f -perm /077 \\) -o \\( -type d -perm /077 \\) | head -5; find ${dataDir}/pgdata/pg_wal -type f | wc -l`, dataDir);
    const lines = open.stdout.trim().split('\n');
    expect(Number(lines.at(-1))).toBeGreaterThan(0); // the WAL is there, and was checked
    expect(lines.slice(0, -1)).toEqual([]);
  });

  it('finds the newest event removed behind the application, against the anchor', async () => {
    const database = await openDatabase({ dataDir: path.join(dataDir, 'pgdata') });
    try {
      await sql.raw(
        `alter table audit.events disable trigger user; delete from audit.events where seq = (select max(seq) from audit.events);
         alter table audit.events enable trigger user;`,
      ).execute(ownerOf(database));
    } finally {
      await database.close();
    }
    const result = sh(`node ${BIN} audit verify`, dataDir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/BROKEN at event 4: events 4\.\.4 are missing: the anchor in .*audit-head\.json records event 4/);
  }, 180_000);
});
