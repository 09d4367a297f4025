import { describe, expect, it } from 'vitest';
import { loadConfig } from './index.ts';

describe('loadConfig', () => {
  it('has working defaults with no environment', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({
      databaseUrl: undefined,
      dataDir: '/srv/app/.airlock',
      policiesDir: '/srv/app/policies',
      port: 4000,
      host: '127.0.0.1',
      keyringPath: '/srv/app/.airlock/keyring.json',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes the login role password only with a PostgreSQL URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://owner@db/airlock', AIRLOCK_APP_DB_PASSWORD: 's3cret' }, '/srv/app')).toMatchObject({
      databaseUrl: 'postgres://owner@db/airlock',
      appDbPassword: 's3cret',
    });
    expect(() => loadConfig({ AIRLOCK_APP_DB_PASSWORD: 's3cret' }, '/srv/app')).toThrow(/AIRLOCK_APP_DB_PASSWORD is for PostgreSQL/);
  });

  it('reports every bad variable at once', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', AIRLOCK_LOG_LEVEL: 'loud' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('PORT="eighty"');
    expect(message).toContain('DATABASE_URL must start');
    expect(message).toContain('AIRLOCK_LOG_LEVEL="loud"');
  });

  it('production (NODE_ENV=production) loads no demo data by default and refuses it when asked', () => {
    expect(loadConfig({}, '/srv/app')).toMatchObject({ production: false, demoRows: 10_000 });
    expect(loadConfig({ NODE_ENV: 'production' }, '/srv/app')).toMatchObject({ production: true, demoRows: 0 });
    expect(() => loadConfig({ NODE_ENV: 'production', AIRLOCK_DEMO_ROWS: '2000' }, '/srv/app')).toThrow(/AIRLOCK_DEMO_ROWS=2000 loads the demo dataset, which production/);
  });
});
