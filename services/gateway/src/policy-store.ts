import type { PolicyVersions } from '@airlock/core';
import { loadPolicySet } from '@airlock/catalog';
import type { AirlockDatabase } from '@airlock/db';
import type { PolicySet } from '@airlock/policy';

export interface PolicySnapshot {
  set: PolicySet;
  versions: PolicyVersions;
  /** Changes whenever any applied policy changes: schemas are cached under it. */
  fingerprint: string;
}

/**
 * The applied policies the gateway serves, re-read from the catalog every `refreshMs` so that
 * `airlock policy apply` from another process takes effect without a restart.
 */
export class PolicyStore {
  #snapshot: PolicySnapshot | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly database: AirlockDatabase) {}

  get current(): PolicySnapshot {
    if (!this.#snapshot) throw new Error('PolicyStore.load() has not run');
    return this.#snapshot;
  }

  get loaded(): boolean {
    return this.#snapshot !== undefined;
  }

  async load(): Promise<PolicySnapshot> {
    const { set, versions } = await loadPolicySet(this.database);
    const fingerprint = [...versions.entries()].map(([name, v]) => `${name}@${v.version}:${v.sha256}`).sort().join('|');
    if (this.#snapshot?.fingerprint !== fingerprint) this.#snapshot = { set, versions, fingerprint };
    return this.#snapshot;
  }

  /** Re-read periodically; failures keep the last good snapshot. */
  startRefreshing(refreshMs: number, onError: (error: unknown) => void): void {
    if (refreshMs <= 0) return;
    this.#timer = setInterval(() => {
      this.load().catch(onError);
    }, refreshMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}
