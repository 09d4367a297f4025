import { createHmac } from 'node:crypto';
import { base32 } from './base32.ts';
import type { KeyProvider } from './key-provider.ts';
import { assertDomain, normalizeValue } from './normalize.ts';

/** Where a token lives and how its input is normalized. */
export interface TokenSpec {
  /** Token domain: two columns share tokens only when they name the same domain. */
  readonly domain: string;
  /** Lower-case the value before the MAC (emails, usernames); see {@link normalizeValue}. */
  readonly caseFold: boolean;
}

// 160 bits of the MAC: collisions need ~2^80 values (birthday bound), far beyond any dataset, and
// a 32-character base32 body stays short in URLs and indexes.
const TOKEN_MAC_BYTES = 20;
const TOKEN_PATTERN = /^tk([1-9][0-9]*)_[a-z2-7]{32}$/;

/**
 * The keyed token of `value`: `tk<version>_` + lower-case base32 of the first 160 bits of
 * HMAC-SHA-256(token subkey of `version`, domain NUL normalized value). Deterministic per
 * (domain, key version, normalized value); different across domains and versions. An unkeyed hash
 * is never used: identifiers are few enough to enumerate. `version` defaults to the keyring's
 * current one. Throws `BAD_REQUEST` for a bad domain, `KEYRING_INVALID` for an unknown version.
 */
export function tokenize(keys: KeyProvider, spec: TokenSpec, value: string, version: number = keys.currentVersion()): string {
  assertDomain(spec.domain);
  // The domain never contains NUL, so the first NUL splits domain from value unambiguously.
  const mac = createHmac('sha256', keys.key(version, 'token'))
    .update(spec.domain, 'utf8')
    .update('\0', 'utf8')
    .update(normalizeValue(value, spec.caseFold), 'utf8')
    .digest();
  return `tk${version}_${base32(mac.subarray(0, TOKEN_MAC_BYTES))}`;
}

/** The key version a token was made with, or undefined when the text is not a token. */
export function parseTokenVersion(token: string): number | undefined {
  const match = TOKEN_PATTERN.exec(token);
  if (match === null) return undefined;
  const version = Number(match[1]);
  return Number.isSafeInteger(version) ? version : undefined;
}
