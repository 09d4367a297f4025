import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { POLICIES_DIR } from '@airlock/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from './index.ts';

/** Run the CLI in process; capture what it prints. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    const code = await main(['node', 'airlock', ...args]);
    return { code, out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'airlock-cli-'));

describe('airlock CLI', () => {
  let dataDir: string;
  const saved = { ...process.env };
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmp, 'data-'));
    process.env['AIRLOCK_DATA_DIR'] = dataDir;
    // The tests' own policies (token checks roles against them), not the repository's policies/.
    process.env['AIRLOCK_POLICIES_DIR'] = POLICIES_DIR;
    delete process.env['DATABASE_URL'];
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('prints help for every command and exits 0', async () => {
    for (const args of [['--help'], ['policy', 'validate', '--help'], ['ingest', '--help'], ['db', 'migrate', '--help'], ['audit', 'verify', '--help']]) {
      const { code, out } = await run(...args);
      expect(code, args.join(' ')).toBe(0);
      expect(out).toMatch(/Usage: airlock/);
    }
  });

  it('token refuses a role roles.yaml does not define, and warns when it has to make new keys', async () => {
    const wizard = await run('token', '--role', 'wizard');
    expect(wizard.code).not.toBe(0);
    expect(wizard.err).toMatch(/Unknown role\(s\) "wizard": .*roles\.yaml defines .*analyst/u);
    const first = await run('token', '--role', 'analyst');
    expect(first.code).toBe(0);
    expect(first.out.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/u);
    expect(first.err).toMatch(/No development keys in .* only a server started with this data folder/u);
    const second = await run('token', '--role', 'analyst');
    expect(second.err).toBe('');
  });

  it('start in production refuses dev JWT keys and the demo dataset, before opening anything (issue 12, finding 13)', async () => {
    process.env['NODE_ENV'] = 'production';
    const devKeys = await run('start');
    expect(devKeys.code).toBe(1);
    expect(devKeys.err).toMatch(/AIRLOCK_JWKS_URL is required in production/);
    delete process.env['NODE_ENV'];
    process.env['AIRLOCK_JWKS_URL'] = 'https://idp.example/jwks';
    process.env['AIRLOCK_JWT_ISSUER'] = 'https://idp.example';
    process.env['AIRLOCK_DEMO_ROWS'] = '2000';
    const demo = await run('start', '--production');
    expect(demo.code).toBe(1);
    expect(demo.err).toMatch(/AIRLOCK_DEMO_ROWS=2000 loads the demo dataset, which production .* refuses/);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(dataDir)).toEqual([]); // no database, no keys were created
  });

  it('exits 2 on a usage error', async () => {
    const { code, err } = await run('policy', 'frobnicate');
    expect(code).toBe(2);
    expect(err).toMatch(/unknown command|error/i);
  });

  it('policy validate: 0 with warnings for the test policies', async () => {
    const { code, out, err } = await run('policy', 'validate', POLICIES_DIR);
    expect(code).toBe(0);
    expect(out).toMatch(/3 policy file\(s\) valid, \d+ warning\(s\)/);
    expect(err).toMatch(/admissions\.yaml:\d+:\d+: warning: /);
  });

  it('policy validate: 1 with the position, the problem and the fix', async () => {
    const bad = path.join(tmp, 'broken');
    await import('node:fs/promises').then((fs) => fs.mkdir(bad, { recursive: true }));
    writeFileSync(path.join(bad, 'roles.yaml'), 'roles:\n  steward: { steward: true }\n  analyst: {}\n');
    writeFileSync(
      path.join(bad, 'visits.yaml'),
      [
        'dataset: visits',
        'subject: patient',
        'columns:',
        '  patient: { type: string, class: identifier, deidentified: { tokenize: { domain: patient } } }',
        '  ward: { type: string, class: attribute }',
        'zones:',
        '  restricted: { roles: [steward] }',
        '  aggregate: { roles: [analyst], min_cout: 11, dimensions: [ward] }',
        '',
      ].join('\n'),
    );
    const { code, err } = await run('policy', 'validate', bad);
    expect(code).toBe(1);
    expect(err).toMatch(/visits\.yaml:8:34: error: unknown key "min_cout" in zones\.aggregate\. Fix: did you mean "min_count"\?/);
    expect(err).toMatch(/1 error\(s\)/);
  });

  it('db migrate twice is a no-op; policy apply twice stores nothing new; audit verify passes', async () => {
    expect((await run('db', 'migrate')).out).toMatch(/Applied \d+ migration/);
    expect((await run('db', 'migrate')).out).toMatch(/Already up to date/);
    expect((await run('policy', 'apply', POLICIES_DIR)).out).toMatch(/admissions: stored version 1/);
    expect((await run('policy', 'apply', POLICIES_DIR)).out).toMatch(/admissions: unchanged \(version 1\)/);
    const verify = await run('audit', 'verify');
    expect(verify.code).toBe(0);
    expect(verify.out).toMatch(/Audit chain intact: 3 event\(s\)/);
  });

  it('errors are one clear line with exit 1', async () => {
    const fresh = await run('ingest', 'nosuch', path.join(tmp, 'missing.csv'));
    expect(fresh.code).toBe(1);
    expect(fresh.err).toMatch(/^airlock: error: No roles policy has been applied\. Run `airlock policy apply policies\/`\.\n$/);
    await run('policy', 'apply', POLICIES_DIR);
    const { code, err } = await run('ingest', 'nosuch', path.join(tmp, 'missing.csv'));
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/^airlock: error: No applied policy for dataset "nosuch" \(applied: admissions, adult\).*airlock policy apply/);
  });

  it('risk: ingest reports the risk outcome; `airlock risk` shows k, l, what was generalized and suppressed, the loss', async () => {
    await run('policy', 'apply', POLICIES_DIR);
    const csv = path.join(tmp, 'risk-demo.csv');
    expect((await run('demo', '--rows', '1500', '--seed', 'cli-risk', '--out', csv)).code).toBe(0);
    const none = await run('risk', 'admissions');
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/No risk report for "admissions" yet.*airlock ingest admissions/);
    const ingest = await run('ingest', 'admissions', csv);
    expect(ingest.out).toMatch(/admissions: deidentified zone published with k \d+, \d+ record\(s\) suppressed, information loss 0\.\d{3}/);
    const { code, out } = await run('risk', 'admissions');
    expect(code).toBe(0);
    expect(out).toMatch(/^admissions: PUBLISHED \(report \d+, ingest at/m);
    expect(out).toMatch(/^published: \d+ records in \d+ classes; k ([5-9]|\d\d+); l\(diagnosis\) \d+; unique 0\.0%/m);
    expect(out).toMatch(/^generalized: birth_date → .*; zip → /m);
    expect(out).toMatch(/^suppressed: \d+ records \([\d.]+%\); information loss: 0\.\d{3}$/m);
    expect(out).toMatch(/^warning: column "cost" is kept/m);
    const json = JSON.parse((await run('risk', 'admissions', '--json')).out) as { report: { decision: string } };
    expect(json.report.decision).toBe('published');
    // The unique-cost warning is printed by ingest too, with its fix.
    expect(ingest.out).toMatch(/^warning: column "cost" is kept .* Fix: /m);
  });

  it('rejects: lists what ingest rejected, with file, line, column, reason and the record', async () => {
    await run('policy', 'apply', POLICIES_DIR);
    const csv = path.join(tmp, 'rejects-demo.csv');
    expect((await run('demo', '--rows', '60', '--seed', 'cli-rejects', '--out', csv)).code).toBe(0);
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    lines[3] = lines[3]!.replace(/,(F|M),/u, ',X,');
    lines[7] = `${lines[7]},extra`;
    writeFileSync(csv, `${lines.join('\n')}\n`);
    expect((await run('rejects', 'admissions')).out).toMatch(/^admissions: no rejected rows\.$/m);
    // 2 of 60 rejected (3.3%): under the default 5%, so exit 0, the good rows loaded.
    const ingest = await run('ingest', 'admissions', csv);
    expect(ingest.code).toBe(0);
    expect(ingest.out).toMatch(/read 60, loaded 58, rejected 2/u);
    // Rows of a new file (other admission ids) over a stricter limit: exit 1, saying where to look.
    const strict = path.join(tmp, 'rejects-demo-strict.csv');
    writeFileSync(strict, `${lines.slice(0, 10).join('\n').replace(/ADM/gu, 'ADX')}\n`);
    const over = await run('ingest', 'admissions', strict, '--max-rejected', '1%');
    expect(over.code).toBe(1);
    expect(over.err).toMatch(/2 of 9 rows \(22\.2%\) were rejected, more than --max-rejected 1\.0%: see `airlock rejects admissions`/u);
    expect((await run('ingest', 'admissions', csv, '--max-rejected', '2')).err).toMatch(/--max-rejected must be a share from 0 to 1/u);
    const { code, out } = await run('rejects', 'admissions');
    expect(code).toBe(0);
    expect(out).toMatch(/^rejects-demo\.csv:4 \(sex\): .*X/m);
    expect(out).toMatch(/^rejects-demo\.csv:8: has \d+ field\(s\) but the header has \d+/m);
    expect(out).toMatch(/^admissions: rejected rows 1–4 of 4\.$/m);
    const json = (await run('rejects', 'admissions', '--json', '--limit', '1')).out.trim().split('\n');
    expect(json).toHaveLength(1);
    expect(JSON.parse(json[0]!)).toMatchObject({ loadId: expect.any(Number), line: 4, column: 'sex' });
    expect((await run('rejects', 'admissions', '--load', '999')).err).toMatch(/Load 999 is not a load of admissions/);
  });
});
