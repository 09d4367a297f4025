/**
 * The compose files and the image, read as Docker would (no Docker needed):
 * - docker-compose.yml is the production trial: an identity provider required, no demo data, its
 *   own policies folder, every secret a compose secret file (issue 12, finding 13: no password in
 *   the file), pools logging in as airlock_app, a healthcheck for every service.
 * - docker-compose.demo.yml is the opt-in local trial (development keys, the demo dataset), a
 *   separate project so its database never becomes the production one.
 * - the trainer's healthcheck command fails when the trainer's health endpoint says unhealthy.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '@airlock/core/logger';
import { REPO_ROOT } from '@airlock/testing';
import { serveTrainerHealth, type TrainerHealth } from '@airlock/trainer';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  secrets?: string[];
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
}
interface Compose {
  name: string;
  services: Record<string, Service>;
  secrets?: Record<string, { file: string }>;
}

const read = (file: string): string => readFileSync(path.join(REPO_ROOT, file), 'utf8');
const production = parse(read('docker-compose.yml')) as Compose;
const demo = parse(read('docker-compose.demo.yml')) as Compose;
const APP_SERVICES = ['gateway', 'trainer'];
/** `${NAME:?message}`: compose refuses to start when NAME is unset or empty. */
const required = (name: string): RegExp => new RegExp(`^\\$\\{${name}:\\?[^}]+\\}$`);
const env = (compose: Compose, service: string): Record<string, string> => compose.services[service]?.environment ?? {};

describe('docker-compose.yml (production trial)', () => {
  it('writes no secret: each secret setting is a <NAME>_FILE naming a compose secret the service is granted', () => {
    for (const [name, service] of Object.entries(production.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        expect(key, `${name}.${key}`).not.toMatch(/^(DATABASE_URL|AIRLOCK_APP_DB_PASSWORD|AIRLOCK_METRICS_TOKEN|POSTGRES_PASSWORD)$/);
        if (!key.endsWith('_FILE')) continue;
        const secret = /^\/run\/secrets\/(\w+)$/.exec(value)?.[1];
        expect(secret, `${name}.${key}`).toBeDefined();
        expect(service.secrets, `${name} is granted ${secret}`).toContain(secret);
        expect(production.secrets?.[secret!]?.file).toBe(`\${AIRLOCK_SECRETS:-./secrets}/${secret}`);
      }
    }
    expect(env(production, 'postgres')['POSTGRES_PASSWORD_FILE']).toBe('/run/secrets/db_password');
    for (const service of APP_SERVICES) {
      expect(env(production, service)).toMatchObject({
        DATABASE_URL_FILE: '/run/secrets/database_url',
        AIRLOCK_APP_DB_PASSWORD_FILE: '/run/secrets/app_db_password',
        AIRLOCK_AUDIT_KEY_FILE: '/run/secrets/audit_key',
      });
    }
    expect(env(production, 'gateway')['AIRLOCK_METRICS_TOKEN_FILE']).toBe('/run/secrets/metrics_token');
  });

  it('runs in production mode with an identity provider, required, and no demo data', () => {
    for (const service of APP_SERVICES) {
      expect(env(production, service)['NODE_ENV']).toBe('production');
      expect(env(production, service)).not.toHaveProperty('AIRLOCK_DEMO_ROWS');
    }
    for (const name of ['AIRLOCK_JWKS_URL', 'AIRLOCK_JWT_ISSUER', 'AIRLOCK_JWT_AUDIENCE']) {
      expect(env(production, 'gateway')[name]).toMatch(required(name));
    }
  });

  it('serves the policies folder the operator names, not the demo policies; mounts imports read-only; publishes the port', () => {
    const volumes = production.services['gateway']?.volumes ?? [];
    const policies = volumes.find((v) => v.includes(':/app/policies'));
    expect(policies).toMatch(/^\$\{AIRLOCK_POLICIES:\?[^}]+\}:\/app\/policies:ro$/);
    expect(volumes).toContain('${AIRLOCK_IMPORTS:-./imports}:/imports:ro');
    expect(production.services['gateway']?.ports).toEqual(['${AIRLOCK_PUBLISH:-127.0.0.1:4000}:4000']);
    expect(production.services['trainer']?.volumes?.some((v) => v.includes('policies'))).toBe(false);
  });
});

describe('docker-compose.demo.yml (local trial)', () => {
  it('is a separate project, in development mode with the demo dataset and the repository policies', () => {
    expect(demo.name).not.toBe(production.name);
    for (const service of APP_SERVICES) expect(env(demo, service)['NODE_ENV']).toBe('development');
    expect(env(demo, 'gateway')['AIRLOCK_DEMO_ROWS']).toBe('${AIRLOCK_DEMO_ROWS:-10000}');
    expect(demo.services['gateway']?.volumes).toContain('./policies:/app/policies:ro');
  });

  it('takes the PostgreSQL password from the environment, required, and logs the pools in as airlock_app', () => {
    expect(env(demo, 'postgres')['POSTGRES_PASSWORD']).toMatch(required('AIRLOCK_DB_PASSWORD'));
    for (const service of APP_SERVICES) {
      const url = /^postgres:\/\/([^:@]+):(.+)@[^@]+$/.exec(env(demo, service)['DATABASE_URL'] ?? '');
      expect(url?.[2]).toMatch(required('AIRLOCK_DB_PASSWORD'));
      // The owner URL's user is the container's superuser, so it must not be the application login.
      expect(url?.[1]).toBe(env(demo, 'postgres')['POSTGRES_USER']);
      expect(env(demo, service)['AIRLOCK_APP_DB_PASSWORD']).toMatch(required('AIRLOCK_APP_DB_PASSWORD'));
    }
  });
});

describe.each([
  ['docker-compose.yml', production],
  ['docker-compose.demo.yml', demo],
])('%s', (_file, compose) => {
  it('has a healthcheck for every service; the trainer is checked on its health port', () => {
    for (const [name, service] of Object.entries(compose.services)) expect(service.healthcheck?.test, name).toBeDefined();
    const port = env(compose, 'trainer')['AIRLOCK_TRAINER_HEALTH_PORT'];
    expect(compose.services['trainer']?.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/healthz`);
  });
});

describe('the trainer healthcheck command', () => {
  it('exits 0 while the trainer is healthy, 1 when it is not or does not answer', async () => {
    const test = production.services['trainer']!.healthcheck!.test;
    expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    let health: TrainerHealth = { kind: 'healthy' };
    const server = await serveTrainerHealth({ host: '127.0.0.1', port: 0, check: () => Promise.resolve(health), logger: createLogger('compose-test', 'silent') });
    const script = test[3]!.replace('http://127.0.0.1:4001', server.url);
    // Asynchronous: the health server answers from this process's event loop.
    const check = (): Promise<number | null> =>
      new Promise((resolve, reject) => spawn(process.execPath, ['-e', script], { stdio: 'ignore' }).on('error', reject).on('close', resolve));
    try {
      expect(await check()).toBe(0);
      health = { kind: 'unhealthy', reason: 'the job queue does not answer' };
      expect(await check()).toBe(1);
    } finally {
      await server.close();
    }
    expect(await check()).toBe(1); // nothing listening: the trainer is down
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('runs a Node LTS line (an even major, 22 or newer)', () => {
    const major = Number(/^FROM node:(\d+)-/m.exec(dockerfile)?.[1]);
    expect(major % 2 === 0 && major >= 22, `node:${major}`).toBe(true);
  });

  it('bakes no policies into the image: the served set is the mounted folder', () => {
    expect(dockerfile).not.toMatch(/^COPY\s+(\S+\s+)*policies\b/m);
  });
});
