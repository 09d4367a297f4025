/**
 * A data owner's session with the server running on the embedded database (issue 14, points 1
 * and 2): every command runs in another terminal without stopping the server (the CLI hands the
 * work to it), and policy changes reach loaded data safely: a new nullable column is served at
 * once (empty for rows loaded before), a column left out is retired from the open zones, a change
 * that would rewrite loaded values is refused with the reason, and no query ever gets a 500.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { POLICIES_DIR, REPO_ROOT } from '@airlock/testing';
import { describe, expect, it } from 'vitest';

const AIRLOCK = path.join(REPO_ROOT, 'bin/airlock.mjs');

/** The dataset policy, version by version: `extra` columns appended, `ward` kept or not. */
function visitsPolicy(options: { ward: boolean; extra?: string }): string {
  return [
    'dataset: visits',
    'subject: patient_id',
    'columns:',
    '  patient_id: { type: string, class: identifier, deidentified: { tokenize: { domain: patient } } }',
    '  sex:        { type: string, class: quasi_identifier, values: [F, M], deidentified: keep }',
    ...(options.ward ? ['  ward:       { type: string, class: attribute }'] : []),
    '  cost:       { type: number, class: measure }',
    ...(options.extra ? [options.extra] : []),
    'zones:',
    '  restricted:   { roles: [steward] }',
    '  deidentified: { roles: [analyst] }',
    '',
  ].join('\n');
}

function rows(count: number, withNotes: boolean): string {
  const header = withNotes ? 'patient_id,sex,cost,notes' : 'patient_id,sex,ward,cost';
  const lines = Array.from({ length: count }, (_, i) =>
    withNotes ? `P${1000 + i},${i % 2 ? 'F' : 'M'},${100 + i},note ${i}` : `P${i},${i % 2 ? 'F' : 'M'},${i % 3 ? 'surgery' : 'icu'},${100 + i}`,
  );
  return `${[header, ...lines].join('\n')}\n`;
}

describe('commands while the embedded server runs', () => {
  it('hands apply, ingest, rejects and audit verify to the server; policy changes never break a query', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'airlock-live-'));
    const dataDir = path.join(root, 'data');
    const policies = path.join(root, 'policies');
    mkdirSync(policies);
    writeFileSync(path.join(policies, 'roles.yaml'), readFileSync(path.join(POLICIES_DIR, 'roles.yaml')));
    writeFileSync(path.join(policies, 'visits.yaml'), visitsPolicy({ ward: true }));
    writeFileSync(path.join(root, 'visits.csv'), rows(40, false));
    writeFileSync(path.join(root, 'more.csv'), rows(10, true));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const env = {
      ...process.env,
      AIRLOCK_DATA_DIR: dataDir,
      AIRLOCK_POLICIES_DIR: policies,
      AIRLOCK_POLICY_REFRESH_MS: '200',
      PORT: String(port),
      AIRLOCK_DEMO_ROWS: '0',
      DATABASE_URL: '',
      AIRLOCK_LOG_LEVEL: 'warn',
    };
    const cli = (...args: string[]) => spawnSync(process.execPath, [AIRLOCK, ...args], { env, encoding: 'utf8', cwd: root });
    const server = spawn(process.execPath, [AIRLOCK, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: root });
    let output = '';
    server.stdout.on('data', (c: Buffer) => (output += c.toString()));
    server.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => server.on('close', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 120_000;
      while (!output.includes('Airlock is running')) {
        if (Date.now() > deadline || server.exitCode !== null) throw new Error(`start did not come up:\n${output}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(existsSync(path.join(dataDir, 'server.json'))).toBe(true);
      const token = cli('token', '--role', 'analyst').stdout.trim();
      const gql = async (query: string) => {
        const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, connection: 'close' },
          body: JSON.stringify({ query }),
        });
        return { status: res.status, body: (await res.json()) as { data?: { visits?: { records: { totalCount: number; nodes: Array<Record<string, unknown>> } } }; errors?: Array<{ message: string; extensions?: { code?: string } }> } };
      };

      // Ingest while the server runs: handed over, output streamed back, exit 0.
      const ingested = cli('ingest', 'visits', 'visits.csv');
      expect(ingested.stderr).not.toMatch(/in use by process/);
      expect(ingested.stdout).toMatch(/visits: read 40, loaded 40, rejected 0/);
      expect(ingested.status).toBe(0);
      expect((await gql('{ visits { records(first: 100) { totalCount nodes { sex ward } } } }')).body.data?.visits?.records.totalCount).toBe(40);

      // Version 2: a new nullable column, `ward` retired. Applied with the reshape and the re-derivation.
      writeFileSync(path.join(policies, 'visits.yaml'), visitsPolicy({ ward: false, extra: '  notes:      { type: string, class: attribute, nullable: true }' }));
      const applied = cli('policy', 'apply', 'policies');
      expect(applied.stderr).not.toMatch(/error|REFUSED/);
      expect(applied.stdout).toMatch(/visits: stored version 2/);
      expect(applied.stdout).toMatch(/visits: loaded tables reshaped/);
      expect(applied.stdout).toMatch(/visits: deidentified zone derived again: 40 row\(s\)/);
      expect(applied.status).toBe(0);
      // Served within the refresh interval; the rows loaded before have no notes.
      let served = await gql('{ visits { records(first: 100) { nodes { sex notes } } } }');
      for (let i = 0; i < 50 && served.body.errors; i++) {
        await new Promise((r) => setTimeout(r, 100));
        served = await gql('{ visits { records(first: 100) { nodes { sex notes } } } }');
      }
      expect(served.status).toBe(200);
      expect(served.body.errors).toBeUndefined();
      expect(served.body.data?.visits?.records.nodes.every((n) => n['notes'] === null)).toBe(true);
      // The retired column is gone from the open zone: an unknown field (a 400), never a 500.
      const retired = await gql('{ visits { records(first: 1) { nodes { ward } } } }');
      expect(retired.status).toBe(400);
      expect(retired.body.errors?.[0]?.message).toBe('Not allowed, or no such field.');

      // A file in the new shape loads; the retired column stays empty for it.
      const more = cli('ingest', 'visits', 'more.csv');
      expect(more.stdout).toMatch(/loaded 10, rejected 0/);
      const notes = await gql('{ visits { records(first: 100, where: { notes: "note 3" }) { totalCount } } }');
      expect(notes.body.data?.visits?.records.totalCount).toBe(1);

      // Version 3 would need a value loaded rows do not have: refused, exit 1, version 2 still served.
      writeFileSync(
        path.join(policies, 'visits.yaml'),
        visitsPolicy({ ward: false, extra: '  notes:      { type: string, class: attribute, nullable: true }\n  insurer:    { type: string, class: attribute }' }),
      );
      const refused = cli('policy', 'apply', 'policies');
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/visits: REFUSED: .*does not fit its loaded data/);
      expect(refused.stderr).toMatch(/visits\.yaml:\d+:\d+: column "insurer" is new, and the 50 row\(s\) already loaded into "visits" have no value for it\. Declare it `nullable: true`/);
      const still = await gql('{ visits { records(first: 1) { totalCount nodes { notes } } } }');
      expect(still.status).toBe(200);
      expect(still.body.data?.visits?.records.totalCount).toBe(50);

      // The steward's other commands, handed over too.
      expect(cli('rejects', 'visits').stdout).toMatch(/visits: no rejected rows\./);
      const verified = cli('audit', 'verify');
      expect(verified.stdout).toMatch(/Audit chain intact/);
      expect(verified.status).toBe(0);

      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      // Stopped: the hand-off file is gone, and commands open the database themselves again.
      expect(existsSync(path.join(dataDir, 'server.json'))).toBe(false);
      const after = cli('rejects', 'visits');
      expect(after.stdout).toMatch(/visits: no rejected rows\./);
      expect(after.status).toBe(0);
    } finally {
      if (server.exitCode === null) server.kill('SIGKILL');
    }
  }, 240_000);
});
