import { newSurrogate, tokenize, type KeyProvider, type SurrogateResolver, type SurrogateResult } from '@airlock/deid';
import { sqlRunner, type AirlockDatabase, type SqlRunner } from '@airlock/db';
import type { DatasetPolicy } from '@airlock/policy';

/**
 * The vault-backed surrogate mapping of one ingest or rebuild run. Before a batch is transformed,
 * the known surrogates of its values are read from `restricted.vault` (looked up by the keyed
 * token of the value, never the value itself); values seen for the first time get a fresh random
 * surrogate, whose vault entry the deidentifier emits. Surrogates minted in the last two batches
 * are also kept in memory: while one batch is being written the next is already being prepared,
 * and must reuse what the first minted before it commits. Lookups try every key version, so
 * surrogates stay the same across key rotations.
 */
export class RunSurrogates implements SurrogateResolver {
  #known = new Map<string, string>();
  #previous = new Map<string, string>();
  readonly #minted = new Map<string, string>();
  readonly #keys: KeyProvider;

  constructor(keys: KeyProvider) {
    this.#keys = keys;
  }

  /** The surrogate columns of a policy, with their domains. */
  static columns(policy: DatasetPolicy): Array<{ column: string; domain: string }> {
    return policy.columns.flatMap((c) => (c.deidentified.kind === 'surrogate' ? [{ column: c.name, domain: c.deidentified.domain }] : []));
  }

  /** The lookup key stored in the vault for a value. */
  lookup(domain: string, value: string, version = this.#keys.currentVersion()): string {
    return tokenize(this.#keys, { domain: `surrogate.${domain}`, caseFold: false }, value, version);
  }

  /** Start a new batch: forget all but the last batch's surrogates (older ones are committed). */
  nextBatch(): void {
    this.#previous = this.#known;
    this.#known = new Map();
    this.#minted.clear();
  }

  /** Load the stored surrogates of these values, reading the vault as the restricted role. */
  async preload(database: AirlockDatabase, values: ReadonlyMap<string, ReadonlySet<string>>): Promise<void> {
    await database.withZone('restricted', (trx) => this.preloadWith(sqlRunner(trx), values));
  }

  /** As {@link preload}, inside an open transaction whose role may read the vault. */
  async preloadWith(runner: SqlRunner, values: ReadonlyMap<string, ReadonlySet<string>>): Promise<void> {
    for (const [domain, set] of values) {
      const byLookup = new Map<string, string>();
      for (const value of set) {
        const key = `${domain}\u0000${value}`;
        const recent = this.#previous.get(key);
        if (recent !== undefined) {
          this.#known.set(key, recent);
          continue;
        }
        for (let version = this.#keys.currentVersion(); version >= 1; version--) byLookup.set(this.lookup(domain, value, version), value);
      }
      if (byLookup.size === 0) continue;
      const rows = await runner.query<{ lookup: string; public_value: string }>(
        `select lookup, public_value from restricted.vault where domain = $1 and kind = 'surrogate' and lookup = any($2::text[])`,
        [domain, [...byLookup.keys()]],
      );
      for (const row of rows) this.#known.set(`${domain}\u0000${byLookup.get(row.lookup)}`, row.public_value);
    }
  }

  surrogateFor(domain: string, value: string): SurrogateResult {
    const key = `${domain}\u0000${value}`;
    const known = this.#known.get(key) ?? this.#previous.get(key);
    if (known !== undefined) return { surrogate: known, created: false };
    const surrogate = newSurrogate(domain);
    this.#known.set(key, surrogate);
    this.#minted.set(surrogate, this.lookup(domain, value));
    return { surrogate, created: true };
  }

  /** Vault lookup keys of the surrogates minted in the current batch, by surrogate. */
  mintedLookups(): ReadonlyMap<string, string> {
    return new Map(this.#minted);
  }
}
