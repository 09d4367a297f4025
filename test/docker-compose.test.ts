/**
 * docker-compose.yml keeps no database password of its own (issue 12, finding 13): every place
 * that needs it reads ${AIRLOCK_DB_PASSWORD} from the environment, and compose refuses to start
 * without it. The application does not log in as the container's superuser (finding 3): the
 * superuser's URL is the owner's, for migrations, and the services' pools log in as airlock_app
 * with a password of its own, also from the environment.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@airlock/testing';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const compose = parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { environment?: Record<string, string> }>;
};
const REQUIRED_FROM_ENV = /^\$\{AIRLOCK_DB_PASSWORD:\?[^}]+\}$/;

describe('docker-compose.yml', () => {
  it('takes the PostgreSQL password from the environment, required', () => {
    expect(compose.services['postgres']?.environment?.['POSTGRES_PASSWORD']).toMatch(REQUIRED_FROM_ENV);
  });

  it.each(['gateway', 'trainer'])('%s connects with that password, not a written one', (service) => {
    const url = compose.services[service]?.environment?.['DATABASE_URL'] ?? '';
    const password = /^postgres:\/\/[^:]+:(.+)@[^@]+$/.exec(url)?.[1];
    expect(password).toMatch(REQUIRED_FROM_ENV);
  });

  it.each(['gateway', 'trainer'])('%s logs its pool in as airlock_app with a password from the environment, required', (service) => {
    expect(compose.services[service]?.environment?.['AIRLOCK_APP_DB_PASSWORD']).toMatch(/^\$\{AIRLOCK_APP_DB_PASSWORD:\?[^}]+\}$/);
    // The owner URL's user is the container's superuser, so it must not be the application login.
    const user = /^postgres:\/\/([^:@]+)/.exec(compose.services[service]?.environment?.['DATABASE_URL'] ?? '')?.[1];
    expect(user).toBe(compose.services['postgres']?.environment?.['POSTGRES_USER']);
    expect(user).not.toBe('airlock_app');
  });
});
