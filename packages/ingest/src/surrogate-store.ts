import { newSurrogate, tokenize, type KeyProvider, type SurrogateResolver, type SurrogateResult } from '@airlock/deid';
import type { BulkSession } from '@airlock/db';
import type { DatasetPolicy } from '@airlock/policy';

/**
 * The vault-backed surrogate mapping for one batch. Before the batch is transformed, the known
 * surrogates of its values are read from `restricted.vault` (looked up by the keyed token of the
 * value, never the value itself); values seen for the first time get a fresh random surrogate,
 * whose vault entry the deidentifier emits. Lookups try every key version, so surrogates stay the
 * same across key rotations.
 */
export class BatchSurrogates implements SurrogateResolver {
  readonly #known = new Map<string, string>();
  /** Lookup keys of the surrogates minted in this batch, for their vault rows. */
  readonly #minted = new Map<string, string>();
  readonly #keys: KeyProvider;

  constructor(keys: KeyProvider) {
    this.#keys = keys;
  }

  /** The surrogate columns of a policy, with their domains. */
  static columns(policy: DatasetPolicy): Array<{ column: string; domain: string }> {
    return policy.columns.flatMap((c) => (c.deidentified.kind === 'surrogate' ? [{ column: c.name, domain: c.deidentified.domain }] : []));
  }

  /** The lookup key stored in the vault for a value (current key version). */
  lookup(domain: string, value: string, version = this.#keys.currentVersion()): string {
    return tokenize(this.#keys, { domain: `surrogate.${domain}`, caseFold: false }, value, version);
  }

  /** Load the existing surrogates of these values (a restricted-role session). */
  async preload(session: BulkSession, values: ReadonlyMap<string, ReadonlySet<string>>): Promise<void> {
    for (const [domain, set] of values) {
      if (set.size === 0) continue;
      const byLookup = new Map<string, string>();
      for (const value of set) {
        for (let version = this.#keys.currentVersion(); version >= 1; version--) {
          byLookup.set(this.lookup(domain, value, version), value);
        }
      }
      const rows = await session.query<{ lookup: string; public_value: string }>(
        `select lookup, public_value from restricted.vault where domain = $1 and kind = 'surrogate' and lookup = any($2::text[])`,
        [domain, [...byLookup.keys()]],
      );
      for (const row of rows) this.#known.set(`${domain}\u0000${byLookup.get(row.lookup)}`, row.public_value);
    }
  }

  surrogateFor(domain: string, value: string): SurrogateResult {
    const key = `${domain}\u0000${value}`;
    const known = this.#known.get(key);
    if (known !== undefined) return { surrogate: known, created: false };
    const surrogate = newSurrogate(domain);
    this.#known.set(key, surrogate);
    this.#minted.set(surrogate, this.lookup(domain, value));
    return { surrogate, created: true };
  }

  /** The vault lookup key of a surrogate minted by this object. */
  lookupOfMinted(surrogate: string): string {
    const lookup = this.#minted.get(surrogate);
    if (lookup === undefined) throw new Error(`surrogate ${surrogate} was not minted in this batch`);
    return lookup;
  }
}
