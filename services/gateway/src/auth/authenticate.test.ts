import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AirlockError } from '@airlock/core';
import { createLogger } from '@airlock/core/logger';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadAuthConfig } from '@airlock/config';
import { authenticate, MALFORMED_HEADER_MESSAGE, MISSING_TOKEN_MESSAGE, principalOf } from './authenticate.ts';
import { mintDevToken } from '@airlock/dev-keys';
import { createTokenVerifier, type TokenVerifier } from './token-verifier.ts';

let dataDir: string;
let server: Server;
let baseUrl: string;
/** Requests that got past the middleware: must stay 0 for every refused request. */
let reachedRoute = 0;

async function listen(verifier: TokenVerifier): Promise<{ server: Server; url: string }> {
  const app = express();
  app.use('/graphql', authenticate(verifier, createLogger('auth-test', 'silent')));
  app.all('/graphql', (_req, res) => {
    reachedRoute += 1;
    res.json({ principal: principalOf(res) });
  });
  const listening: Server = await new Promise((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  return { server: listening, url: `http://127.0.0.1:${(listening.address() as AddressInfo).port}` };
}

function close(target: Server): Promise<void> {
  return new Promise((resolve, reject) => target.close((error) => (error ? reject(error) : resolve())));
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'airlock-authenticate-'));
  ({ server, url: baseUrl } = await listen(createTokenVerifier(loadAuthConfig({}, { dataDir }))));
});
afterAll(async () => {
  await close(server);
  await rm(dataDir, { recursive: true, force: true });
});
beforeEach(() => {
  reachedRoute = 0;
});

function post(headers: Record<string, string>, url = baseUrl): Promise<Response> {
  return fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ datasets { name } }' }),
  });
}

describe('authenticate middleware', () => {
  it('answers 401 with a GraphQL error and invalid_request when no token is sent', async () => {
    const response = await post({});
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="airlock", error="invalid_request"/);
    expect(await response.json()).toEqual({ errors: [{ message: MISSING_TOKEN_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(MISSING_TOKEN_MESSAGE).toContain('npx airlock token --role analyst');
    expect(reachedRoute).toBe(0);
  });

  it.each([['Basic YWxpY2U6c2VjcmV0'], ['Bearer'], ['Bearer a.b.c d.e.f'], ['Bearer "a.b.c"'], ['Bearer, a.b.c']])(
    'answers 401 invalid_request to the malformed header %j',
    async (authorization) => {
      const response = await post({ authorization });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_request"');
      expect(await response.json()).toEqual({
        errors: [{ message: MALFORMED_HEADER_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } }],
      });
      expect(reachedRoute).toBe(0);
    },
  );

  it('answers 401 invalid_token with the vague message for a bad token, without calling next()', async () => {
    const response = await post({ authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="airlock", error="invalid_token", error_description="invalid or expired token"',
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      errors: [{ message: 'invalid or expired token', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    expect(reachedRoute).toBe(0);
  });

  it('sets res.locals.principal and calls next() for a valid token (scheme case-insensitive)', async () => {
    const token = await mintDevToken({ dataDir, sub: 'alice', roles: ['analyst'], ttlSeconds: 600 });
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const response = await post({ authorization: `${scheme} ${token}` });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { principal: { subject: string; roles: string[]; expiresAt: string } };
      expect(body.principal).toMatchObject({ subject: 'alice', roles: ['analyst'] });
      expect(Date.parse(body.principal.expiresAt)).toBeGreaterThan(Date.now());
    }
    expect(reachedRoute).toBe(3);
  });

  it('masks a server-side verification fault as 500 and does not call next()', async () => {
    const failing: TokenVerifier = {
      verify: () => Promise.reject(new AirlockError('CONFIG_INVALID', 'dev key file at /secret/path is broken')),
    };
    const faulty = await listen(failing);
    try {
      const response = await post({ authorization: 'Bearer a.b.c' }, faulty.url);
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(text).not.toContain('/secret/path');
      expect(JSON.parse(text)).toEqual({ errors: [{ message: 'internal server error', extensions: { code: 'INTERNAL' } }] });
      expect(reachedRoute).toBe(0);
    } finally {
      await close(faulty.server);
    }
  });
});

describe('principalOf', () => {
  it('fails closed when the middleware did not run', () => {
    const res = { locals: {} } as unknown as express.Response;
    expect(() => principalOf(res)).toThrow(AirlockError);
  });
});
