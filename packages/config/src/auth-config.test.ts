import { AirlockError } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { loadAuthConfig } from './auth-config.ts';

const dataDir = '/tmp/airlock-test-data';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadAuthConfig(env, { dataDir });
  } catch (error) {
    expect(error).toBeInstanceOf(AirlockError);
    expect((error as AirlockError).code).toBe('CONFIG_INVALID');
    return (error as AirlockError).details?.['problems'] as string[];
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('loadAuthConfig', () => {
  it('defaults to dev mode with the documented defaults, frozen', () => {
    const config = loadAuthConfig({}, { dataDir });
    expect(config).toEqual({
      mode: 'dev',
      dataDir,
      issuer: 'airlock-dev',
      audience: 'airlock',
      algorithms: ['ES256', 'RS256', 'EdDSA'],
      rolesClaim: 'roles',
      clockToleranceSeconds: 30,
      maxTokenLifetimeSeconds: 86_400,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.algorithms)).toBe(true);
  });

  it('treats empty variables as unset', () => {
    expect(loadAuthConfig({ AIRLOCK_JWKS_URL: '', AIRLOCK_JWT_AUDIENCE: ' ' }, { dataDir })).toMatchObject({
      mode: 'dev',
      audience: 'airlock',
    });
  });

  it('switches to server mode when AIRLOCK_JWKS_URL is set', () => {
    const config = loadAuthConfig(
      {
        AIRLOCK_JWKS_URL: 'https://idp.example/realms/airlock/protocol/openid-connect/certs',
        AIRLOCK_JWT_ISSUER: 'https://idp.example/realms/airlock',
        AIRLOCK_JWT_AUDIENCE: 'airlock-gateway',
        AIRLOCK_JWT_ALGORITHMS: 'RS256, PS256,RS256',
        AIRLOCK_JWT_ROLES_CLAIM: 'realm_access.roles',
      },
      { dataDir },
    );
    expect(config).toEqual({
      mode: 'server',
      jwksUrl: 'https://idp.example/realms/airlock/protocol/openid-connect/certs',
      issuer: 'https://idp.example/realms/airlock',
      audience: 'airlock-gateway',
      algorithms: ['RS256', 'PS256'],
      rolesClaim: 'realm_access.roles',
      clockToleranceSeconds: 30,
      maxTokenLifetimeSeconds: 86_400,
    });
  });

  it('accepts http for a loopback JWKS only', () => {
    expect(loadAuthConfig({ AIRLOCK_JWKS_URL: 'http://127.0.0.1:8080/jwks', AIRLOCK_JWT_ISSUER: 'x' }, { dataDir }).mode).toBe('server');
    expect(loadAuthConfig({ AIRLOCK_JWKS_URL: 'http://localhost/jwks', AIRLOCK_JWT_ISSUER: 'x' }, { dataDir }).mode).toBe('server');
    expect(problemsOf({ AIRLOCK_JWKS_URL: 'http://idp.example/jwks', AIRLOCK_JWT_ISSUER: 'x' })).toEqual([
      expect.stringContaining('must use https'),
    ]);
  });

  it('refuses none and HS* with the reason, and reports every problem at once', () => {
    const problems = problemsOf({
      AIRLOCK_JWKS_URL: 'not a url',
      AIRLOCK_JWT_ALGORITHMS: 'none,HS256,hs512,RS256,XX1',
      AIRLOCK_JWT_ROLES_CLAIM: 'realm_access..roles',
    });
    expect(problems).toEqual([
      expect.stringContaining('is not a URL'),
      expect.stringContaining('required when AIRLOCK_JWKS_URL is set'),
      expect.stringMatching(/must not contain "none".*unsigned/),
      expect.stringMatching(/must not contain HS256.*key-confusion/),
      expect.stringMatching(/must not contain hs512/),
      expect.stringContaining('unknown algorithm "XX1"'),
      expect.stringContaining('empty path segment'),
    ]);
  });

  it('puts every problem in the error message', () => {
    expect(() => loadAuthConfig({ AIRLOCK_JWT_ALGORITHMS: 'HS256' }, { dataDir })).toThrow(/HS256.*symmetric/s);
  });

  it('reads AIRLOCK_JWT_MAX_LIFETIME as seconds or a duration, within 1m..30d', () => {
    expect(loadAuthConfig({ AIRLOCK_JWT_MAX_LIFETIME: '12h' }, { dataDir }).maxTokenLifetimeSeconds).toBe(43_200);
    expect(loadAuthConfig({ AIRLOCK_JWT_MAX_LIFETIME: '600' }, { dataDir }).maxTokenLifetimeSeconds).toBe(600);
    for (const bad of ['100y', '31d', '10s', 'forever']) {
      expect(problemsOf({ AIRLOCK_JWT_MAX_LIFETIME: bad })).toEqual([expect.stringContaining(`AIRLOCK_JWT_MAX_LIFETIME="${bad}"`)]);
    }
  });

  it('refuses dev keys in production, and accepts an identity provider there', () => {
    expect(() => loadAuthConfig({}, { dataDir, production: true })).toThrow(/AIRLOCK_JWKS_URL is required in production/);
    expect(loadAuthConfig({ AIRLOCK_JWKS_URL: 'https://idp.example/jwks', AIRLOCK_JWT_ISSUER: 'https://idp.example' }, { dataDir, production: true }).mode).toBe('server');
  });

  it('requires ES256 in dev mode, where the dev key signs with it', () => {
    expect(problemsOf({ AIRLOCK_JWT_ALGORITHMS: 'RS256' })).toEqual([expect.stringContaining('must include ES256 in dev mode')]);
  });

  it('refuses an algorithm list that names nothing', () => {
    expect(problemsOf({ AIRLOCK_JWT_ALGORITHMS: ' , ' })).toEqual([expect.stringContaining('names no algorithm')]);
  });
});
