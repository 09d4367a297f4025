import { randomBytes } from 'node:crypto';
import { base32 } from './base32.ts';
import { assertDomain } from './normalize.ts';

// 128 random bits: collisions need ~2^64 surrogates (birthday bound) in one domain.
const SURROGATE_BYTES = 16;

/**
 * A fresh random surrogate: `sg_` + lower-case base32 of 128 bits from the OS CSPRNG. It is not
 * derived from the value, because HIPAA Safe Harbor (45 CFR 164.514(c)) forbids re-identification
 * codes derived from the identifier; the value-to-surrogate mapping lives only in the vault.
 * `domain` is checked like a token domain but does not enter the identifier.
 */
export function newSurrogate(domain: string): string {
  assertDomain(domain);
  return `sg_${base32(randomBytes(SURROGATE_BYTES))}`;
}

/** The answer of a {@link SurrogateResolver}. */
export interface SurrogateResult {
  readonly surrogate: string;
  /** True when the surrogate was minted by this call, so its vault entry must be written. */
  readonly created: boolean;
}

/**
 * The value-to-surrogate mapping of a dataset, stable across rows and ingests. The ingest backs it
 * with the vault table; {@link InMemorySurrogateResolver} serves tests. Values arrive normalized
 * (see `normalizeValue`, without case folding).
 */
export interface SurrogateResolver {
  /** The surrogate of `value` in `domain`, minting one with {@link newSurrogate} when there is none. */
  surrogateFor(domain: string, value: string): SurrogateResult;
}

/** A SurrogateResolver in a Map: stable for the life of the object only. */
export class InMemorySurrogateResolver implements SurrogateResolver {
  readonly #byDomain = new Map<string, Map<string, string>>();

  surrogateFor(domain: string, value: string): SurrogateResult {
    let mapping = this.#byDomain.get(domain);
    if (mapping === undefined) {
      mapping = new Map();
      this.#byDomain.set(domain, mapping);
    }
    const known = mapping.get(value);
    if (known !== undefined) return { surrogate: known, created: false };
    const surrogate = newSurrogate(domain);
    mapping.set(value, surrogate);
    return { surrogate, created: true };
  }
}
