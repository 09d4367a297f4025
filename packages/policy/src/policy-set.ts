import { AirlockError } from '@airlock/core';
import { deepFreeze } from './freeze.ts';
import type { DatasetPolicy, PolicySet, RolesPolicy } from './model.ts';

/**
 * A map that refuses changes once built. `Object.freeze` does not stop `Map.prototype.set`, and a
 * policy set is shared by every request, so the set's dataset map must refuse writes at run time.
 */
class FrozenMap<K, V> extends Map<K, V> {
  readonly #sealed: boolean;

  constructor(entries: Iterable<readonly [K, V]>) {
    super();
    for (const [key, value] of entries) super.set(key, value);
    this.#sealed = true;
    Object.freeze(this);
  }

  override set(key: K, value: V): this {
    if (this.#sealed) throw new TypeError('a policy set is read-only');
    return super.set(key, value);
  }

  override delete(_key: K): boolean {
    throw new TypeError('a policy set is read-only');
  }

  override clear(): void {
    throw new TypeError('a policy set is read-only');
  }
}

/**
 * Builds the frozen set the decision functions take, e.g. from policies the catalog stored and
 * {@link deserializePolicy} restored. Assumes each policy was validated when applied. Throws
 * `POLICY_INVALID` when two policies name the same dataset.
 */
export function policySetFromModels(roles: RolesPolicy, datasets: Iterable<DatasetPolicy>): PolicySet {
  const byName = new Map<string, DatasetPolicy>();
  for (const policy of datasets) {
    const other = byName.get(policy.dataset);
    if (other !== undefined) {
      throw new AirlockError('POLICY_INVALID', `dataset "${policy.dataset}" is defined twice (${other.source.file} and ${policy.source.file}); keep one file per dataset`);
    }
    byName.set(policy.dataset, deepFreeze(policy));
  }
  return Object.freeze({ roles: deepFreeze(roles), datasets: new FrozenMap(byName) });
}
