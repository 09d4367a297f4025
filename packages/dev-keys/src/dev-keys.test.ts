import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureDevKeys, mintDevToken, parseTtl } from './dev-keys.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'airlock-dev-keys-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const posix = process.platform !== 'win32';

describe('ensureDevKeys', () => {
  it('creates an ES256 key pair as JWK files, private key 0600, kid = thumbprint', async () => {
    const keys = await ensureDevKeys(dataDir);
    expect(keys.privateKeyPath).toBe(path.join(dataDir, 'jwt', 'dev-private.jwk.json'));
    expect(keys.publicKeyPath).toBe(path.join(dataDir, 'jwt', 'dev-public.jwk.json'));
    expect(keys.kid).toBe(await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: keys.publicJwk.x, y: keys.publicJwk.y }));
    expect(keys.publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: keys.kid, alg: 'ES256', use: 'sig' });
    expect(keys.publicJwk).not.toHaveProperty('d');
    expect(keys.privateJwk.d).toEqual(expect.any(String));

    const onDisk = JSON.parse(await readFile(keys.privateKeyPath, 'utf8')) as Record<string, unknown>;
    expect(onDisk).toMatchObject({ kid: keys.kid, d: keys.privateJwk.d });
    const publicOnDisk = JSON.parse(await readFile(keys.publicKeyPath, 'utf8')) as Record<string, unknown>;
    expect(publicOnDisk).toEqual(keys.publicJwk);
    if (posix) {
      expect((await stat(keys.privateKeyPath)).mode & 0o777).toBe(0o600);
      expect((await stat(path.join(dataDir, 'jwt'))).mode & 0o777).toBe(0o700);
    }
  });

  it('returns the same pair on later calls, and one pair to concurrent callers', async () => {
    const concurrent = await Promise.all([ensureDevKeys(dataDir), ensureDevKeys(dataDir), ensureDevKeys(dataDir)]);
    expect(new Set(concurrent.map((keys) => keys.kid)).size).toBe(1);
    expect((await ensureDevKeys(dataDir)).kid).toBe(concurrent[0]?.kid);
  });

  it.runIf(posix)('refuses a private key readable by other users', async () => {
    const keys = await ensureDevKeys(dataDir);
    await chmod(keys.privateKeyPath, 0o644);
    await expect(ensureDevKeys(dataDir)).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('chmod 600') });
  });

  it('refuses a malformed key file with a fix', async () => {
    const keys = await ensureDevKeys(dataDir);
    await writeFile(keys.privateKeyPath, '{"kty":"oct","k":"abc"}', { mode: 0o600 });
    await expect(ensureDevKeys(dataDir)).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('Delete') });
  });
});

describe('mintDevToken', () => {
  it('signs ES256 with the dev key and kid, with sub, roles, iat, exp, iss and aud', async () => {
    const before = Math.floor(Date.now() / 1000);
    const token = await mintDevToken({ dataDir, sub: 'alice', roles: ['analyst', 'ml'], ttlSeconds: 3600 });
    const keys = await ensureDevKeys(dataDir);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: keys.kid, typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: 'alice', roles: ['analyst', 'ml'], iss: 'airlock-dev', aud: 'airlock' });
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
  });

  it('takes a custom issuer and audience', async () => {
    const token = await mintDevToken({ dataDir, sub: 'bob', roles: [], ttlSeconds: 60, issuer: 'me', audience: 'you' });
    expect(decodeJwt(token)).toMatchObject({ iss: 'me', aud: 'you', roles: [] });
  });

  it('refuses an empty subject, a role with a space, and a bad lifetime', async () => {
    await expect(mintDevToken({ dataDir, sub: ' ', roles: [], ttlSeconds: 60 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(mintDevToken({ dataDir, sub: 'a', roles: ['data owner'], ttlSeconds: 60 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(mintDevToken({ dataDir, sub: 'a', roles: [], ttlSeconds: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(mintDevToken({ dataDir, sub: 'a', roles: [], ttlSeconds: 1.5 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('parseTtl', () => {
  it.each([
    ['15s', 15],
    ['30m', 1800],
    ['1h', 3600],
    ['2d', 172_800],
    [' 365d ', 31_536_000],
  ])('parses %s', (text, seconds) => {
    expect(parseTtl(text)).toBe(seconds);
  });

  it.each(['', '1', 'h', '1.5h', '-1h', '0s', '1w', '1 h', '366d', '99999999999999999999d'])('refuses "%s" with the accepted form', (text) => {
    expect(() => parseTtl(text)).toThrow(/use a whole number followed by s, m, h or d/);
  });
});
