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

  it('has a section per service, each validated with the rest', () => {
    const config = loadConfig({ AIRLOCK_TRAINER: 'off', AIRLOCK_TRAINER_MAX_MEMORY_MB: '512', AIRLOCK_TF_BACKEND: 'cpu', AIRLOCK_RATE_LIMIT: '0', AIRLOCK_PROGRESS: 'lines' }, '/srv/app');
    expect(config.trainer).toEqual({ enabled: false, concurrency: 1, maxJobMs: 1_800_000, maxMemoryMb: 512, tfBackend: 'cpu', healthPort: undefined });
    expect(loadConfig({ AIRLOCK_TRAINER_HEALTH_PORT: '4001' }, '/srv/app').trainer.healthPort).toBe(4001);
    expect(config.gateway).toMatchObject({ rateLimit: 0, analysisTimeoutMs: 120_000 });
    expect(config.auth).toMatchObject({ mode: 'dev', dataDir: '/srv/app/.airlock' });
    expect(config.cli).toEqual({ progress: 'lines' });
    expect(Object.isFrozen(config.trainer) && Object.isFrozen(config.gateway) && Object.isFrozen(config.auth)).toBe(true);

    let message = '';
    try {
      loadConfig({ AIRLOCK_TRAINER: 'maybe', AIRLOCK_TF_BACKEND: 'gpu', AIRLOCK_TRAINER_CONCURRENCY: '0', AIRLOCK_MAX_DEPTH: '1', AIRLOCK_JWT_ALGORITHMS: 'HS256', AIRLOCK_PROGRESS: 'dots', AIRLOCK_TRAINER_HEALTH_PORT: '0' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('AIRLOCK_TRAINER="maybe" must be one of on, off.');
    expect(message).toContain('AIRLOCK_TF_BACKEND is "gpu"');
    expect(message).toContain('AIRLOCK_TRAINER_CONCURRENCY="0" is not an integer from 1 to 32.');
    expect(message).toContain('AIRLOCK_MAX_DEPTH="1"');
    expect(message).toContain('HS256');
    expect(message).toContain('AIRLOCK_PROGRESS="dots"');
    expect(message).toContain('AIRLOCK_TRAINER_HEALTH_PORT="0" is not an integer from 1 to 65535.');
  });

  it('refuses the development JWT keys in production only where tokens are verified', () => {
    const env = { NODE_ENV: 'production' };
    expect(loadConfig(env, '/srv/app').auth.mode).toBe('dev'); // a trainer or a data-owner command
    expect(() => loadConfig(env, '/srv/app', { verifiesTokens: true })).toThrow(/AIRLOCK_JWKS_URL is required in production/);
  });

  it('production (NODE_ENV=production) loads no demo data by default and refuses it when asked', () => {
    expect(loadConfig({}, '/srv/app')).toMatchObject({ production: false, demoRows: 10_000 });
    expect(loadConfig({ NODE_ENV: 'production' }, '/srv/app')).toMatchObject({ production: true, demoRows: 0 });
    expect(() => loadConfig({ NODE_ENV: 'production', AIRLOCK_DEMO_ROWS: '2000' }, '/srv/app')).toThrow(/AIRLOCK_DEMO_ROWS=2000 loads the demo dataset, which production/);
  });
});
