import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadGatewayConfig } from './index.ts';
import { withSecretFiles } from './secret-files.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-secrets-'));

function secretFile(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content, { mode: 0o600 });
  return file;
}

function problemsOf(env: Record<string, string>): string[] {
  const problems: string[] = [];
  withSecretFiles(env, problems, dir);
  return problems;
}

describe('withSecretFiles', () => {
  it('reads each secret setting from <NAME>_FILE, trimmed', () => {
    const env = withSecretFiles(
      {
        DATABASE_URL_FILE: secretFile('url', 'postgres://airlock:pw@db/airlock\n'),
        AIRLOCK_APP_DB_PASSWORD_FILE: secretFile('app', '  app-secret \r\n'),
        AIRLOCK_METRICS_TOKEN_FILE: secretFile('metrics', 'operator-token-0123456789'),
        PORT: '4000',
      },
      [],
    );
    expect(env).toMatchObject({
      DATABASE_URL: 'postgres://airlock:pw@db/airlock',
      AIRLOCK_APP_DB_PASSWORD: 'app-secret',
      AIRLOCK_METRICS_TOKEN: 'operator-token-0123456789',
      PORT: '4000',
    });
  });

  it('resolves a relative path against the working folder, and treats an empty variable as unset', () => {
    secretFile('relative', 's3cret');
    expect(withSecretFiles({ AIRLOCK_APP_DB_PASSWORD_FILE: 'relative' }, [], dir)['AIRLOCK_APP_DB_PASSWORD']).toBe('s3cret');
    expect(withSecretFiles({ AIRLOCK_APP_DB_PASSWORD: 'direct', AIRLOCK_APP_DB_PASSWORD_FILE: ' ' }, [], dir)['AIRLOCK_APP_DB_PASSWORD']).toBe('direct');
  });

  it('refuses NAME and NAME_FILE together, naming both', () => {
    const file = secretFile('both', 'x');
    expect(problemsOf({ DATABASE_URL: 'postgres://db/airlock', DATABASE_URL_FILE: file })).toEqual([
      'DATABASE_URL and DATABASE_URL_FILE are both set: keep one (DATABASE_URL_FILE names a file holding the value).',
    ]);
  });

  it('names the variable and the file it cannot read, and the reason', () => {
    const missing = path.join(dir, 'missing');
    expect(problemsOf({ AIRLOCK_METRICS_TOKEN_FILE: missing })).toEqual([
      `AIRLOCK_METRICS_TOKEN_FILE=${missing}: the file cannot be read (ENOENT). Give the path of a file holding AIRLOCK_METRICS_TOKEN that this process's user may read.`,
    ]);
    expect(problemsOf({ DATABASE_URL_FILE: dir })).toEqual([expect.stringContaining(`DATABASE_URL_FILE=${dir}: the file cannot be read (EISDIR)`)]);
  });

  it.skipIf(process.getuid?.() === 0)('reports a file this user may not read', () => {
    const locked = secretFile('locked', 'x');
    chmodSync(locked, 0o000);
    expect(problemsOf({ AIRLOCK_APP_DB_PASSWORD_FILE: locked })).toEqual([expect.stringContaining('cannot be read (EACCES)')]);
  });

  it('refuses an empty file rather than an empty secret', () => {
    const empty = secretFile('empty', '\n');
    expect(problemsOf({ AIRLOCK_APP_DB_PASSWORD_FILE: empty })).toEqual([
      `AIRLOCK_APP_DB_PASSWORD_FILE=${empty}: the file is empty. Write AIRLOCK_APP_DB_PASSWORD in it, or unset AIRLOCK_APP_DB_PASSWORD_FILE.`,
    ]);
  });
});

describe('secret files in the loaded configuration', () => {
  it('loadConfig takes the database URL, the login password and the operator token from files', () => {
    const config = loadConfig(
      {
        DATABASE_URL_FILE: secretFile('owner-url', 'postgres://airlock:owner-pw@postgres:5432/airlock\n'),
        AIRLOCK_APP_DB_PASSWORD_FILE: secretFile('app-pw', 'app-pw\n'),
        AIRLOCK_METRICS_TOKEN_FILE: secretFile('operator', 'operator-token-from-a-file\n'),
      },
      '/srv/app',
    );
    expect(config).toMatchObject({ databaseUrl: 'postgres://airlock:owner-pw@postgres:5432/airlock', appDbPassword: 'app-pw' });
    expect(config.gateway.metricsToken).toBe('operator-token-from-a-file');
  });

  it('lists a secret-file problem with every other problem, without the secret', () => {
    let message = '';
    try {
      loadConfig({ DATABASE_URL_FILE: secretFile('mysql-url', 'mysql://root:hunter2@db'), AIRLOCK_APP_DB_PASSWORD_FILE: path.join(dir, 'nope'), PORT: 'x' }, '/srv/app');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('AIRLOCK_APP_DB_PASSWORD_FILE=');
    expect(message).toContain('DATABASE_URL must start with postgres://');
    expect(message).toContain('PORT="x"');
    expect(message).not.toContain('hunter2');
  });

  it('loadGatewayConfig reads AIRLOCK_METRICS_TOKEN_FILE too', () => {
    expect(loadGatewayConfig({ AIRLOCK_METRICS_TOKEN_FILE: secretFile('gw-operator', 'gateway-operator-token\n') }).metricsToken).toBe('gateway-operator-token');
    expect(() => loadGatewayConfig({ AIRLOCK_METRICS_TOKEN: 'a'.repeat(16), AIRLOCK_METRICS_TOKEN_FILE: secretFile('gw-both', 'b') })).toThrow(/both set/);
  });
});
