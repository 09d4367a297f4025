// Adversarial tests of token verification: every forged, stale or foreign token must end in
// UNAUTHENTICATED with the same vague message. Tokens are really signed and verified by jose.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AirlockError } from '@airlock/core';
import { base64url, exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthConfig } from '@airlock/config';
import { ensureDevKeys, mintDevToken, type DevKeys } from '@airlock/dev-keys';
import { createTokenVerifier, INVALID_TOKEN_MESSAGE, readRolesClaim, type TokenVerifier } from './token-verifier.ts';

let dataDir: string;
let keys: DevKeys;
let devPrivateKey: CryptoKey;
let verifier: TokenVerifier;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'airlock-verifier-'));
  keys = await ensureDevKeys(dataDir);
  devPrivateKey = (await importJWK(keys.privateJwk, 'ES256')) as CryptoKey;
  verifier = createTokenVerifier(loadAuthConfig({}, { dataDir }));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const now = (): number => Math.floor(Date.now() / 1000);

/** Claims of a token the dev verifier accepts; tests remove or change one thing at a time. */
function goodClaims(): JWTPayload {
  return { sub: 'alice', roles: ['analyst'], iss: 'airlock-dev', aud: 'airlock', iat: now(), exp: now() + 600 };
}

function sign(claims: JWTPayload, options: { key?: CryptoKey | Uint8Array; alg?: string; kid?: string } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'ES256', kid: options.kid ?? keys.kid, typ: 'JWT' })
    .sign(options.key ?? devPrivateKey);
}

function without(claim: string): JWTPayload {
  const claims = goodClaims();
  delete claims[claim];
  return claims;
}

/** Assert the verifier refuses `token` vaguely, and that the logged reason matches `reason`. */
async function expectRefused(token: string, reason: RegExp, using: TokenVerifier = verifier): Promise<void> {
  const error: unknown = await using.verify(token).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(AirlockError);
  const airlockError = error as AirlockError;
  expect(airlockError.code).toBe('UNAUTHENTICATED');
  expect(airlockError.message).toBe(INVALID_TOKEN_MESSAGE);
  expect(String(airlockError.details?.['reason'])).toMatch(reason);
}

describe('dev-mode token verification', () => {
  it('accepts a minted dev token and returns its principal', async () => {
    const token = await mintDevToken({ dataDir, sub: 'alice', roles: ['analyst', 'ml'], ttlSeconds: 3600 });
    const principal = await verifier.verify(token);
    expect(principal.subject).toBe('alice');
    expect(principal.roles).toEqual(['analyst', 'ml']);
    expect(Math.abs(principal.expiresAt.getTime() - (now() + 3600) * 1000)).toBeLessThan(5000);
  });

  it('accepts a token expired 10 s ago (30 s clock tolerance)', async () => {
    await expect(verifier.verify(await sign({ ...goodClaims(), iat: now() - 600, exp: now() - 10 }))).resolves.toMatchObject({
      subject: 'alice',
    });
  });

  it('refuses a token issued a year in the future, and accepts one 10 s ahead (clock tolerance)', async () => {
    const year = 365 * 86_400;
    await expectRefused(await sign({ ...goodClaims(), iat: now() + year, exp: now() + year + 600 }), /"iat" is \d+ s in the future/);
    await expect(verifier.verify(await sign({ ...goodClaims(), iat: now() + 10 }))).resolves.toMatchObject({ subject: 'alice' });
  });

  it('refuses a lifetime of 100 years, and any above AIRLOCK_JWT_MAX_LIFETIME (default 24 h)', async () => {
    await expectRefused(await sign({ ...goodClaims(), exp: now() + 100 * 365 * 86_400 }), /lifetime .* exceeds AIRLOCK_JWT_MAX_LIFETIME \(86400 s\)/);
    await expectRefused(await sign({ ...goodClaims(), exp: now() + 86_401 }), /exceeds AIRLOCK_JWT_MAX_LIFETIME/);
    await expect(verifier.verify(await sign({ ...goodClaims(), exp: now() + 86_400 }))).resolves.toMatchObject({ subject: 'alice' });
    const strict = createTokenVerifier(loadAuthConfig({ AIRLOCK_JWT_MAX_LIFETIME: '15m' }, { dataDir }));
    await expectRefused(await sign({ ...goodClaims(), exp: now() + 3600 }), /\(900 s\)/, strict);
    await expect(strict.verify(await sign({ ...goodClaims(), exp: now() + 900 }))).resolves.toMatchObject({ subject: 'alice' });
  });

  it('refuses alg "none" (an unsigned token written by hand)', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT', kid: keys.kid }));
    const payload = base64url.encode(JSON.stringify({ ...goodClaims(), roles: ['steward'] }));
    await expectRefused(`${header}.${payload}.`, /ERR_JOSE_ALG_NOT_ALLOWED|ERR_JWS_INVALID/);
  });

  it('refuses HS256 signed with the public key as the HMAC secret (key confusion)', async () => {
    // An attacker knows the public key; a verifier that fed it to HMAC would accept this token.
    const secrets = [
      new TextEncoder().encode(await exportSPKI((await importJWK(keys.publicJwk, 'ES256')) as CryptoKey)),
      new TextEncoder().encode(JSON.stringify(keys.publicJwk)),
    ];
    for (const secret of secrets) {
      await expectRefused(await sign({ ...goodClaims(), roles: ['steward'] }, { alg: 'HS256', key: secret }), /ERR_JOSE_ALG_NOT_ALLOWED/);
    }
  });

  it('refuses a wrong audience', async () => {
    await expectRefused(await sign({ ...goodClaims(), aud: 'another-app' }), /ERR_JWT_CLAIM_VALIDATION_FAILED.*aud/);
  });

  it('refuses a wrong issuer', async () => {
    await expectRefused(await sign({ ...goodClaims(), iss: 'https://evil.example' }), /ERR_JWT_CLAIM_VALIDATION_FAILED.*iss/);
  });

  it('refuses a token expired beyond the tolerance', async () => {
    await expectRefused(await sign({ ...goodClaims(), iat: now() - 600, exp: now() - 60 }), /ERR_JWT_EXPIRED/);
  });

  it.each(['exp', 'sub', 'iat'])('refuses a token without "%s"', async (claim) => {
    await expectRefused(await sign(without(claim)), new RegExp(`missing required "${claim}" claim`));
  });

  it('refuses a non-string subject', async () => {
    await expectRefused(await sign({ ...goodClaims(), sub: 42 as unknown as string }), /"sub" claim/);
  });

  it('refuses an unknown kid, even when the signature is good', async () => {
    await expectRefused(await sign(goodClaims(), { kid: 'someone-elses-key' }), /ERR_JWKS_NO_MATCHING_KEY/);
  });

  it('refuses a payload tampered with after signing (roles raised)', async () => {
    const token = await sign(goodClaims());
    const [header, , signature] = token.split('.');
    const raised = base64url.encode(JSON.stringify({ ...goodClaims(), roles: ['steward'] }));
    await expectRefused(`${header}.${raised}.${signature}`, /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
  });

  it('refuses a token signed by another key pair that claims the dev kid', async () => {
    const other = await generateKeyPair('ES256');
    await expectRefused(await sign(goodClaims(), { key: other.privateKey }), /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
  });

  it.each(['garbage', 'a.b.c', '...', 'x'.repeat(20_000), ''])('refuses the garbage string %#', async (token) => {
    await expectRefused(token, /ERR_JWS_INVALID|ERR_JWT_INVALID|empty or longer/);
  });

  it('refuses a token without the roles claim (not an Airlock token)', async () => {
    await expectRefused(await sign(without('roles')), /roles claim "roles" is missing/);
  });

  it.each([[42], [{ analyst: true }], [['analyst', 7]], [['']], [null]])('refuses a malformed roles claim %j', async (roles) => {
    await expectRefused(await sign({ ...goodClaims(), roles }), /roles claim/);
  });

  it('accepts a space-separated roles string', async () => {
    const principal = await verifier.verify(await sign({ ...goodClaims(), roles: 'analyst  ml analyst' }));
    expect(principal.roles).toEqual(['analyst', 'ml']);
  });

  it('reads a dotted roles claim (Keycloak realm_access.roles)', async () => {
    const keycloak = createTokenVerifier(loadAuthConfig({ AIRLOCK_JWT_ROLES_CLAIM: 'realm_access.roles' }, { dataDir }));
    const claims = { ...without('roles'), realm_access: { roles: ['analyst', 'offline_access'] } };
    expect((await keycloak.verify(await sign(claims))).roles).toEqual(['analyst', 'offline_access']);
    // The configured path is the only place roles come from.
    await expectRefused(await sign(goodClaims()), /roles claim "realm_access.roles"/, keycloak);
  });
});

describe('readRolesClaim', () => {
  it('prefers a top-level claim whose name contains dots (namespaced claims)', () => {
    expect(readRolesClaim({ 'https://airlock.example/roles': ['analyst'] }, 'https://airlock.example/roles')).toEqual(['analyst']);
  });

  it('does not walk into the prototype chain', () => {
    expect(readRolesClaim({}, 'constructor.name')).toBeUndefined();
    expect(readRolesClaim({ a: 'x' }, 'a.length')).toBeUndefined();
  });

  it('accepts an empty list as "no roles"', () => {
    expect(readRolesClaim({ roles: [] }, 'roles')).toEqual([]);
  });
});

describe('dev-mode key problems', () => {
  it('surfaces unusable dev keys as a server fault, not as a bad token', async () => {
    const badDir = await mkdtemp(path.join(tmpdir(), 'airlock-verifier-bad-'));
    try {
      await mkdir(path.join(badDir, 'jwt'), { mode: 0o700 });
      await writeFile(path.join(badDir, 'jwt', 'dev-private.jwk.json'), 'not json', { mode: 0o600 });
      const broken = createTokenVerifier(loadAuthConfig({}, { dataDir: badDir }));
      await expect(broken.verify(await sign(goodClaims()))).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    } finally {
      await rm(badDir, { recursive: true, force: true });
    }
  });
});
