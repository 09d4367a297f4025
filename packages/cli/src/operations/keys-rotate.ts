import { createAuditLog } from '@airlock/audit';
import { loadPolicySet } from '@airlock/catalog';
import { addKeyVersion } from '@airlock/deid';
import { openKeys } from '../keys.ts';
import type { Operation } from '../operation.ts';
import { rebuildWithProgress } from './rebuild.ts';

/** `airlock keys rotate`: add a key version and re-derive every dataset with it. */
export const keysRotate: Operation<Record<string, never>> = async (context) => {
  const { config, database, actor, out } = context;
  openKeys(config); // creates the keyring on first use
  const version = addKeyVersion(config.keyringPath);
  await createAuditLog(database).append({ ...actor, type: 'keys.rotate', action: 'keys rotate', outcome: 'allowed', details: { keyVersion: version } });
  out.say(`Added key version ${version}.`);
  const { set, versions } = await loadPolicySet(database);
  for (const policy of set.datasets.values()) {
    const summary = await rebuildWithProgress(context, policy, versions.get(policy.dataset)!.version);
    out.say(`${policy.dataset}: re-derived ${summary.rows} row(s) with key version ${version}.`);
  }
};
