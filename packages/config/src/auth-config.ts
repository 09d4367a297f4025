import { AirlockError } from '@airlock/core';
import type { Env } from './env-reader.ts';

/** Issuer of dev-mode tokens when `AIRLOCK_JWT_ISSUER` is unset. */
export const DEV_ISSUER = 'airlock-dev';
/** Audience Airlock expects when `AIRLOCK_JWT_AUDIENCE` is unset. */
export const DEFAULT_AUDIENCE = 'airlock';
/** Algorithms accepted when `AIRLOCK_JWT_ALGORITHMS` is unset. */
export const DEFAULT_ALGORITHMS: readonly SignatureAlgorithm[] = ['ES256', 'RS256', 'EdDSA'];
/** Claim holding the caller's roles when `AIRLOCK_JWT_ROLES_CLAIM` is unset. */
export const DEFAULT_ROLES_CLAIM = 'roles';
/** Accepted clock skew between Airlock and the token issuer, in seconds (for `exp`, `nbf` and `iat`). */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** Longest token lifetime (`exp` − `iat`) accepted when `AIRLOCK_JWT_MAX_LIFETIME` is unset: 24 hours. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;
/** Bounds of `AIRLOCK_JWT_MAX_LIFETIME`: one minute to 30 days. */
const MAX_LIFETIME_RANGE = { min: 60, max: 30 * 24 * 3600 } as const;

/**
 * Asymmetric JWS algorithms Airlock accepts. Only public-key signatures: the gateway holds no
 * secret that could mint a token, and an HMAC algorithm would let anyone who knows the public key
 * forge tokens when a library feeds that key to HMAC (the "key confusion" attack).
 */
export const SIGNATURE_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
  'Ed25519',
] as const;

/** One of {@link SIGNATURE_ALGORITHMS}. */
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/** Settings shared by both modes. */
interface AuthConfigBase {
  /** `AIRLOCK_JWT_ISSUER`: expected `iss` claim. Default `airlock-dev` in dev mode; required in server mode. */
  readonly issuer: string;
  /** `AIRLOCK_JWT_AUDIENCE` (default `airlock`): expected `aud` claim. */
  readonly audience: string;
  /**
   * `AIRLOCK_JWT_ALGORITHMS` (comma list, default `ES256,RS256,EdDSA`): accepted `alg` header
   * values. `none` and `HS*` are refused at load time.
   */
  readonly algorithms: readonly SignatureAlgorithm[];
  /**
   * `AIRLOCK_JWT_ROLES_CLAIM` (default `roles`): claim holding the roles, as an array of strings or
   * a space-separated string. A dotted path reaches into nested claims (`realm_access.roles` for
   * Keycloak); a top-level claim whose name contains dots (`https://example.com/roles`) is matched
   * first, as written.
   */
  readonly rolesClaim: string;
  /** Clock skew tolerance in seconds for `exp`/`nbf`/`iat`; fixed at {@link CLOCK_TOLERANCE_SECONDS}. */
  readonly clockToleranceSeconds: number;
  /**
   * `AIRLOCK_JWT_MAX_LIFETIME` (seconds, or `15m`/`12h`/`7d`; default 24h, from 1 minute to 30
   * days): tokens whose `exp` lies further than this after their `iat` are refused, so a leaked
   * token cannot stay valid for years.
   */
  readonly maxTokenLifetimeSeconds: number;
}

/**
 * Embedded/dev mode (`AIRLOCK_JWKS_URL` unset): tokens are signed by a local ES256 key pair kept
 * in `<dataDir>/jwt/` and minted with `airlock token`.
 */
export interface DevAuthConfig extends AuthConfigBase {
  readonly mode: 'dev';
  /** `AIRLOCK_DATA_DIR`: the dev key pair lives in `<dataDir>/jwt/`. */
  readonly dataDir: string;
}

/** Server mode (`AIRLOCK_JWKS_URL` set): tokens come from an identity provider publishing a JWKS. */
export interface ServerAuthConfig extends AuthConfigBase {
  readonly mode: 'server';
  /**
   * `AIRLOCK_JWKS_URL`: the provider's JSON Web Key Set (e.g. Keycloak's
   * `.../protocol/openid-connect/certs`). Must be https, except on a loopback host.
   */
  readonly jwksUrl: string;
}

/** How the gateway authenticates callers; build it with {@link loadAuthConfig}. */
export type AuthConfig = DevAuthConfig | ServerAuthConfig;


/**
 * Read the authentication settings from the environment. An empty variable counts as unset, as in
 * the rest of Airlock's configuration. Every problem is collected and thrown at once as
 * CONFIG_INVALID (with `details.problems`); the result is frozen.
 *
 * @param options.dataDir where dev-mode keys live (the resolved `AIRLOCK_DATA_DIR`).
 * @param options.production production mode (`NODE_ENV=production`): dev mode is refused.
 */
export function loadAuthConfig(env: Env, options: { dataDir: string; production?: boolean }): AuthConfig {
  const problems: string[] = [];
  const config = readAuthConfig(env, options, problems);
  if (problems.length > 0) {
    throw new AirlockError('CONFIG_INVALID', `Invalid authentication configuration:\n  - ${problems.join('\n  - ')}`, {
      details: { problems },
    });
  }
  return config;
}

/** {@link loadAuthConfig}'s reading, adding each problem to `problems` instead of throwing. */
export function readAuthConfig(env: Env, options: { dataDir: string; production?: boolean }, problems: string[]): AuthConfig {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  const jwksUrl = read('AIRLOCK_JWKS_URL');
  const mode = jwksUrl === undefined ? 'dev' : 'server';
  if (mode === 'dev' && options.production === true) {
    // Dev keys sit in the data folder and `airlock token` mints any role with them.
    problems.push(
      `AIRLOCK_JWKS_URL is required in production (NODE_ENV=production): the development JWT keys in ${options.dataDir}/jwt let anyone with the folder mint any role. Point it at your identity provider's key set.`,
    );
  }
  if (jwksUrl !== undefined) {
    const problem = jwksUrlProblem(jwksUrl);
    if (problem) problems.push(problem);
  }

  let issuer = read('AIRLOCK_JWT_ISSUER');
  if (issuer === undefined) {
    if (mode === 'server') {
      // Without an issuer check, any token the key set can verify would do, including tokens the
      // provider issued for another realm or tenant that shares the keys.
      problems.push(
        'AIRLOCK_JWT_ISSUER is required when AIRLOCK_JWKS_URL is set: give the "iss" value of your identity provider (e.g. https://keycloak.example/realms/airlock).',
      );
    }
    issuer = DEV_ISSUER;
  }

  const audience = read('AIRLOCK_JWT_AUDIENCE') ?? DEFAULT_AUDIENCE;
  const algorithms = parseAlgorithms(read('AIRLOCK_JWT_ALGORITHMS'), problems);
  if (mode === 'dev' && algorithms.length > 0 && !algorithms.includes('ES256')) {
    problems.push(
      `AIRLOCK_JWT_ALGORITHMS="${algorithms.join(',')}" must include ES256 in dev mode (AIRLOCK_JWKS_URL unset): the dev key pair signs with ES256.`,
    );
  }

  const rolesClaim = read('AIRLOCK_JWT_ROLES_CLAIM') ?? DEFAULT_ROLES_CLAIM;
  if (rolesClaim.split('.').some((segment) => segment === '')) {
    problems.push(
      `AIRLOCK_JWT_ROLES_CLAIM="${rolesClaim}" has an empty path segment: use a claim name or a dotted path such as realm_access.roles.`,
    );
  }

  const maxTokenLifetimeSeconds = parseLifetime(read('AIRLOCK_JWT_MAX_LIFETIME'), problems);

  const base = {
    issuer,
    audience,
    algorithms: Object.freeze([...algorithms]),
    rolesClaim,
    clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
    maxTokenLifetimeSeconds,
  };
  return Object.freeze(
    jwksUrl === undefined
      ? { mode: 'dev' as const, dataDir: options.dataDir, ...base }
      : { mode: 'server' as const, jwksUrl, ...base },
  );
}

const LIFETIME_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };

function parseLifetime(raw: string | undefined, problems: string[]): number {
  if (raw === undefined) return DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const match = /^(\d+)([smhd]?)$/.exec(raw);
  const seconds = match ? Number(match[1]) * LIFETIME_UNITS[match[2]!]! : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < MAX_LIFETIME_RANGE.min || seconds > MAX_LIFETIME_RANGE.max) {
    problems.push(`AIRLOCK_JWT_MAX_LIFETIME="${raw}" must be a duration from 1m to 30d (seconds, or e.g. 15m, 12h, 7d).`);
    return DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  }
  return seconds;
}

function jwksUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `AIRLOCK_JWKS_URL="${raw}" is not a URL: give the absolute https URL of your identity provider's JWKS, or unset it for dev mode.`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  // The key set decides who can sign tokens: fetched over plain http, anyone on the network path
  // could substitute their own key and mint any role.
  return `AIRLOCK_JWKS_URL="${raw}" must use https (http is accepted only for localhost): a key set fetched in clear text can be replaced in transit.`;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function parseAlgorithms(raw: string | undefined, problems: string[]): SignatureAlgorithm[] {
  if (raw === undefined) return [...DEFAULT_ALGORITHMS];
  const accepted: SignatureAlgorithm[] = [];
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of names) {
    if (name.toLowerCase() === 'none') {
      problems.push('AIRLOCK_JWT_ALGORITHMS must not contain "none": unsigned tokens can be written by anyone.');
    } else if (/^HS\d+$/i.test(name)) {
      problems.push(
        `AIRLOCK_JWT_ALGORITHMS must not contain ${name}: symmetric (HMAC) algorithms need a secret shared with every verifier and allow the key-confusion attack (a token "signed" with the public key). Use ES256, RS256 or EdDSA.`,
      );
    } else if (isSignatureAlgorithm(name)) {
      if (!accepted.includes(name)) accepted.push(name);
    } else {
      problems.push(`AIRLOCK_JWT_ALGORITHMS contains unknown algorithm "${name}": use any of ${SIGNATURE_ALGORITHMS.join(', ')}.`);
    }
  }
  if (names.length === 0) {
    problems.push(`AIRLOCK_JWT_ALGORITHMS="${raw}" names no algorithm: use a comma list such as ES256,RS256,EdDSA.`);
  }
  return accepted;
}

function isSignatureAlgorithm(name: string): name is SignatureAlgorithm {
  return (SIGNATURE_ALGORITHMS as readonly string[]).includes(name);
}
