import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AirlockError } from '@airlock/core';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { DEFAULT_AUDIENCE, DEV_ISSUER } from '@airlock/config';

/** The dev-mode signing key pair, as stored in `<dataDir>/jwt/`. */
export interface DevKeys {
  /** JWK thumbprint (RFC 7638, SHA-256) of the public key; the `kid` header of dev tokens. */
  readonly kid: string;
  /** Public key (`kty`, `crv`, `x`, `y`, `kid`, `alg: ES256`, `use: sig`): what the verifier trusts. */
  readonly publicJwk: JWK;
  /** Private key: the public members plus `d`. Anyone holding it can mint any role. */
  readonly privateJwk: JWK;
  /** `<dataDir>/jwt/dev-private.jwk.json`, mode 0600. */
  readonly privateKeyPath: string;
  /** `<dataDir>/jwt/dev-public.jwk.json`. */
  readonly publicKeyPath: string;
}

const DEV_ALGORITHM = 'ES256';
const MAX_TTL_SECONDS = 365 * 24 * 3600;

/**
 * Return the dev key pair of `dataDir`, creating it on first use: an ES256 (P-256) pair written as
 * JWK files under `<dataDir>/jwt/` (directory 0700, private key 0600). Safe to call from two
 * processes at once (the gateway and `airlock token`): exactly one pair wins and both get it.
 *
 * @throws AirlockError CONFIG_INVALID when the stored private key is unreadable, malformed, or
 *   readable by other users (it grants every role, so it is refused rather than used).
 */
export async function ensureDevKeys(dataDir: string): Promise<DevKeys> {
  const dir = path.join(dataDir, 'jwt');
  const privateKeyPath = path.join(dir, 'dev-private.jwk.json');
  const publicKeyPath = path.join(dir, 'dev-public.jwk.json');
  await mkdir(dir, { recursive: true, mode: 0o700 });

  let privateJwk = await readPrivateJwk(privateKeyPath);
  if (privateJwk === undefined) privateJwk = await createPrivateJwk(privateKeyPath);

  const publicJwk = publicPartOfPrivate(privateJwk, privateKeyPath);
  const kid = await calculateJwkThumbprint(publicJwk);
  if (privateJwk.kid !== undefined && privateJwk.kid !== kid) {
    throw new AirlockError(
      'CONFIG_INVALID',
      `The dev JWT key ${privateKeyPath} has kid "${privateJwk.kid}" but its thumbprint is "${kid}": the file was edited. Delete ${dir} to create a new key pair (existing dev tokens stop working).`,
    );
  }
  const publicWithKid: JWK = { ...publicJwk, kid, alg: DEV_ALGORITHM, use: 'sig' };
  await writePublicJwk(publicKeyPath, publicWithKid);
  return Object.freeze({
    kid,
    publicJwk: publicWithKid,
    privateJwk: { ...publicWithKid, d: privateJwk.d },
    privateKeyPath,
    publicKeyPath,
  });
}

/** What {@link mintDevToken} needs. */
export interface MintDevTokenOptions {
  /** Data directory holding (or to hold) the dev key pair. */
  dataDir: string;
  /** `sub` claim: who the caller is (e.g. `alice`). */
  sub: string;
  /** `roles` claim, e.g. `['analyst']`. Role names must not contain whitespace. */
  roles: readonly string[];
  /** Lifetime in seconds (see {@link parseTtl} for `1h`-style input). */
  ttlSeconds: number;
  /** `iss` claim; default `airlock-dev` (must match the gateway's `AIRLOCK_JWT_ISSUER`). */
  issuer?: string;
  /** `aud` claim; default `airlock` (must match the gateway's `AIRLOCK_JWT_AUDIENCE`). */
  audience?: string;
}

/**
 * Sign a dev-mode JWT with the key pair of `dataDir` (created if missing). Header: `alg: ES256`,
 * `kid`, `typ: JWT`; claims: `sub`, `roles`, `iat`, `exp`, `iss`, `aud`.
 *
 * @throws AirlockError BAD_REQUEST for an empty subject, a bad role name or a bad lifetime.
 */
export async function mintDevToken(options: MintDevTokenOptions): Promise<string> {
  if (options.sub.trim() === '') throw new AirlockError('BAD_REQUEST', 'The token subject (sub) must not be empty.');
  for (const role of options.roles) {
    // The roles claim may be read as a space-separated string, so a role with a space would split.
    if (role === '' || /\s/.test(role)) {
      throw new AirlockError('BAD_REQUEST', `Invalid role name "${role}": role names are non-empty and contain no whitespace.`);
    }
  }
  if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds <= 0 || options.ttlSeconds > MAX_TTL_SECONDS) {
    throw new AirlockError(
      'BAD_REQUEST',
      `Invalid token lifetime ${options.ttlSeconds} s: use a whole number of seconds from 1 to ${MAX_TTL_SECONDS} (365 days).`,
    );
  }
  const keys = await ensureDevKeys(options.dataDir);
  const privateKey = await importJWK(keys.privateJwk, DEV_ALGORITHM);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: [...options.roles] })
    .setProtectedHeader({ alg: DEV_ALGORITHM, kid: keys.kid, typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuer(options.issuer ?? DEV_ISSUER)
    .setAudience(options.audience ?? DEFAULT_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + options.ttlSeconds)
    .sign(privateKey);
}

const TTL_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * Parse a token lifetime such as `15s`, `30m`, `1h` or `2d` into seconds (at most 365 days).
 *
 * @throws AirlockError BAD_REQUEST naming the value and the accepted form.
 */
export function parseTtl(text: string): number {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  const unit = match?.[2] === undefined ? undefined : TTL_UNITS[match[2]];
  const seconds = match?.[1] === undefined || unit === undefined ? Number.NaN : Number(match[1]) * unit;
  if (!Number.isSafeInteger(seconds) || seconds <= 0 || seconds > MAX_TTL_SECONDS) {
    throw new AirlockError(
      'BAD_REQUEST',
      `Invalid token lifetime "${text}": use a whole number followed by s, m, h or d (e.g. 15s, 30m, 1h, 2d), from 1s to 365d.`,
    );
  }
  return seconds;
}

async function readPrivateJwk(file: string): Promise<JWK | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw new AirlockError('CONFIG_INVALID', `Cannot read the dev JWT key ${file}: ${String(error)}`, { cause: error });
  }
  if (process.platform !== 'win32') {
    const { mode } = await stat(file);
    // Whoever reads this file can mint a token with any role, the data owner's included.
    if ((mode & 0o077) !== 0) {
      throw new AirlockError(
        'CONFIG_INVALID',
        `The dev JWT key ${file} is readable by other users (mode ${(mode & 0o777).toString(8)}): run chmod 600 "${file}".`,
      );
    }
  }
  try {
    return JSON.parse(text) as JWK;
  } catch (error) {
    throw new AirlockError(
      'CONFIG_INVALID',
      `The dev JWT key ${file} is not valid JSON. Delete ${path.dirname(file)} to create a new key pair.`,
      { cause: error },
    );
  }
}

/**
 * Generate a key pair and publish the private key at `file` without ever exposing a half-written
 * file: write a temporary file, then hard-link it into place (link fails if `file` exists, so a
 * concurrent creator's key wins and is read back instead).
 */
async function createPrivateJwk(file: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(DEV_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicPartOfPrivate(jwk, file));
  const stored: JWK = { ...jwk, kid, alg: DEV_ALGORITHM, use: 'sig' };
  const text = `${JSON.stringify(stored, null, 2)}\n`;
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
    return stored;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') {
      const existing = await readPrivateJwk(file);
      if (existing !== undefined) return existing;
    }
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') {
      // Some mounted volumes have no hard links; exclusive create is the next best thing.
      await writeFile(file, text, { mode: 0o600, flag: 'wx' });
      return stored;
    }
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

async function writePublicJwk(file: string, jwk: JWK): Promise<void> {
  const text = `${JSON.stringify(jwk, null, 2)}\n`;
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current === text) return;
  // The public file is derived from the private one; rewrite it atomically whenever it differs.
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, text, { mode: 0o644 });
  await rename(temporary, file);
}

function publicPartOfPrivate(jwk: JWK, file: string): JWK {
  if (
    jwk.kty !== 'EC' ||
    jwk.crv !== 'P-256' ||
    typeof jwk.x !== 'string' ||
    typeof jwk.y !== 'string' ||
    typeof jwk.d !== 'string'
  ) {
    throw new AirlockError(
      'CONFIG_INVALID',
      `The dev JWT key ${file} is not an EC P-256 private JWK. Delete ${path.dirname(file)} to create a new key pair (existing dev tokens stop working).`,
    );
  }
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}
