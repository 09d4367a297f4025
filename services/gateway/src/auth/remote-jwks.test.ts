// Server mode: the verifier trusts a key set served over HTTP by an identity provider. A tiny
// local server plays the provider, with a real RS256 key pair.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AirlockError } from '@airlock/core';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthConfig } from '@airlock/config';
import { createTokenVerifier, INVALID_TOKEN_MESSAGE, type TokenVerifier } from './token-verifier.ts';

const ISSUER = 'https://idp.test/realms/airlock';
let server: Server;
let jwksRequests = 0;
let providerKey: { privateKey: CryptoKey; publicKey: CryptoKey };
let verifier: TokenVerifier;

beforeAll(async () => {
  providerKey = await generateKeyPair('RS256');
  const jwks = { keys: [{ ...(await exportJWK(providerKey.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' }] };
  server = createServer((req, res) => {
    if (req.url !== '/jwks') {
      res.writeHead(404).end();
      return;
    }
    jwksRequests += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const config = loadAuthConfig(
    {
      AIRLOCK_JWKS_URL: `http://127.0.0.1:${port}/jwks`,
      AIRLOCK_JWT_ISSUER: ISSUER,
      AIRLOCK_JWT_ROLES_CLAIM: 'realm_access.roles',
    },
    { dataDir: '/nonexistent' },
  );
  expect(config.mode).toBe('server');
  verifier = createTokenVerifier(config);
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

const now = (): number => Math.floor(Date.now() / 1000);

function claims(): JWTPayload {
  return { sub: 'carol', iss: ISSUER, aud: 'airlock', iat: now(), exp: now() + 300, realm_access: { roles: ['ml'] } };
}

async function refusal(token: string): Promise<AirlockError> {
  const error: unknown = await verifier.verify(token).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(AirlockError);
  expect(error).toMatchObject({ code: 'UNAUTHENTICATED', message: INVALID_TOKEN_MESSAGE });
  return error as AirlockError;
}

describe('remote JWKS (server mode)', () => {
  it('verifies a token signed by the provider key', async () => {
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(providerKey.privateKey);
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'carol', roles: ['ml'] });
    expect(jwksRequests).toBeGreaterThanOrEqual(1);
  });

  it('refuses a token whose kid is not in the set', async () => {
    const stranger = await generateKeyPair('RS256');
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: 'rsa-2' }).sign(stranger.privateKey);
    const error = await refusal(token);
    expect(String(error.details?.['reason'])).toMatch(/ERR_JWKS_NO_MATCHING_KEY/);
  });

  it('refuses HS256 signed with the provider public key (key confusion)', async () => {
    const secret = new TextEncoder().encode(await exportSPKI(providerKey.publicKey));
    const token = await new SignJWT({ ...claims(), realm_access: { roles: ['steward'] } })
      .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
      .sign(secret);
    const error = await refusal(token);
    expect(String(error.details?.['reason'])).toMatch(/ERR_JOSE_ALG_NOT_ALLOWED/);
  });

  it('refuses a provider token issued for another issuer', async () => {
    const token = await new SignJWT({ ...claims(), iss: 'https://idp.test/realms/other' })
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .sign(providerKey.privateKey);
    await refusal(token);
  });
});
