import { AirlockError, isAirlockError } from '@airlock/core';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AuthConfig } from '@airlock/config';
import { ensureDevKeys } from '@airlock/dev-keys';

/** The authenticated caller, as read from a verified token. */
export interface Principal {
  /** The token's `sub` claim. */
  subject: string;
  /** Roles from the configured roles claim, de-duplicated; may be empty. */
  roles: string[];
  /** The token's `exp`; the principal must not be trusted after it. */
  expiresAt: Date;
}

/** Verifies bearer tokens; build it with {@link createTokenVerifier}. */
export interface TokenVerifier {
  /**
   * Verify a compact JWT and return its principal.
   *
   * @throws AirlockError UNAUTHENTICATED for any token that is not acceptable, always with the
   *   message "invalid or expired token"; `details.reason` carries the precise cause for the server
   *   log only and must never reach the client.
   * @throws AirlockError CONFIG_INVALID (not a token problem) when dev-mode keys cannot be loaded.
   */
  verify(token: string): Promise<Principal>;
}

/** Vague on purpose: telling a caller which check failed helps an attacker tune a forgery. */
export const INVALID_TOKEN_MESSAGE = 'invalid or expired token';

/** Longer than any token Airlock or a usual identity provider issues; bounds the parsing work. */
const MAX_TOKEN_LENGTH = 16 * 1024;

/**
 * Build the verifier for `config`. In dev mode the trusted key is the dev public key of
 * `config.dataDir` (loaded, or created, on first use and then cached for the process lifetime, so
 * restart the gateway after replacing the dev keys);
 * in server mode it is the remote JWKS, fetched on demand and cached by jose (10 min, refetched
 * when an unknown `kid` appears, at most every 30 s).
 *
 * A token is accepted only if all hold: signature by a trusted key with an allowed asymmetric
 * algorithm; `iss` and `aud` match; `exp`, `iat` and `sub` are present; `exp`/`nbf` hold within
 * the clock tolerance; `iat` is not in the future beyond it; `exp` − `iat` is at most
 * `maxTokenLifetimeSeconds`; and the roles claim is present and well-formed. A token without the roles
 * claim is refused rather than read as "no roles": it was not issued for Airlock (for example an ID
 * token, or a token of another client of the same identity provider).
 */
export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  const keySet = keySetFor(config);
  const options = {
    algorithms: [...config.algorithms],
    issuer: config.issuer,
    audience: config.audience,
    requiredClaims: ['exp', 'iat', 'sub'],
    clockTolerance: config.clockToleranceSeconds,
  };

  return {
    async verify(token: string): Promise<Principal> {
      if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
        throw rejected(`token is empty or longer than ${MAX_TOKEN_LENGTH} characters`);
      }
      const getKey = await keySet();
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, options));
      } catch (error) {
        throw rejected(reasonOf(error), error);
      }
      // jose checks that `sub` is present but not its type.
      if (typeof payload.sub !== 'string' || payload.sub.trim() === '') {
        throw rejected('"sub" claim is not a non-empty string');
      }
      if (typeof payload.exp !== 'number') throw rejected('"exp" claim is not a number');
      if (typeof payload.iat !== 'number') throw rejected('"iat" claim is not a number');
      // A token "issued" in the future would outlive its stated lifetime; refuse beyond the skew.
      const nowSeconds = Math.floor(Date.now() / 1000);
      if (payload.iat > nowSeconds + config.clockToleranceSeconds) {
        throw rejected(`"iat" is ${payload.iat - nowSeconds} s in the future (tolerance ${config.clockToleranceSeconds} s)`);
      }
      if (payload.exp - payload.iat > config.maxTokenLifetimeSeconds) {
        throw rejected(`lifetime exp - iat = ${payload.exp - payload.iat} s exceeds AIRLOCK_JWT_MAX_LIFETIME (${config.maxTokenLifetimeSeconds} s)`);
      }
      const roles = readRolesClaim(payload, config.rolesClaim);
      if (roles === undefined) {
        throw rejected(`roles claim "${config.rolesClaim}" is missing or not an array of strings or a space-separated string`);
      }
      return { subject: payload.sub, roles, expiresAt: new Date(payload.exp * 1000) };
    },
  };
}

/**
 * Roles held in `claim` of a verified payload: an array of non-empty strings, or a space-separated
 * string (the OAuth `scope` style). The claim is looked up first as a top-level name, as written
 * (namespaced claims such as `https://example.com/roles` contain dots), then as a dotted path
 * (`realm_access.roles`). Returns undefined when the claim is missing or malformed.
 */
export function readRolesClaim(payload: JWTPayload, claim: string): string[] | undefined {
  let value: unknown = Object.hasOwn(payload, claim) ? payload[claim] : undefined;
  if (value === undefined && claim.includes('.')) {
    value = payload;
    for (const segment of claim.split('.')) {
      // Own properties only: a path such as "constructor.name" must not reach the prototype chain.
      value = isRecord(value) && Object.hasOwn(value, segment) ? value[segment] : undefined;
    }
  }
  let roles: string[];
  if (typeof value === 'string') {
    roles = value.split(/\s+/).filter((role) => role !== '');
  } else if (Array.isArray(value) && value.every((role) => typeof role === 'string' && role.trim() !== '')) {
    roles = (value as string[]).map((role) => role.trim());
  } else {
    return undefined;
  }
  return [...new Set(roles)];
}

type KeySet = () => Promise<JWTVerifyGetKey>;

function keySetFor(config: AuthConfig): KeySet {
  switch (config.mode) {
    case 'server': {
      const remote = createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5000 });
      return () => Promise.resolve(remote);
    }
    case 'dev': {
      let loading: Promise<JWTVerifyGetKey> | undefined;
      return () => {
        loading ??= ensureDevKeys(config.dataDir).then(
          // Only the public key is trusted for verification; the private key stays with the minter.
          (keys) => createLocalJWKSet({ keys: [keys.publicJwk] }),
          (error: unknown) => {
            loading = undefined; // let the next request retry once the files are fixed
            throw error;
          },
        );
        return loading;
      };
    }
  }
}

function rejected(reason: string, cause?: unknown): AirlockError {
  return new AirlockError('UNAUTHENTICATED', INVALID_TOKEN_MESSAGE, {
    ...(cause === undefined ? {} : { cause }),
    // For the server log only (see TokenVerifier.verify); the edge must not forward it.
    details: { reason },
  });
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JOSEError) return `${error.code}: ${error.message}`;
  if (isAirlockError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
