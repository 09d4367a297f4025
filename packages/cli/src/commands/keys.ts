import type { Command } from 'commander';
import { createAuditLog } from '@airlock/audit';
import { loadPolicySet } from '@airlock/catalog';
import { addKeyVersion } from '@airlock/deid';
import { openKeys } from '../keys.ts';
import { say, using } from '../output.ts';
import { cliActor, openRuntime } from '../runtime.ts';
import { rebuildWithProgress } from './ingest.ts';

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('The token keyring (AIRLOCK_KEYRING).');
  keys
    .command('rotate')
    .description('Add a key version and re-derive every dataset\'s deidentified zone with it (old tokens stop matching).')
    .action(async () => {
      await using(openRuntime, async (runtime) => {
        openKeys(runtime.config); // creates the keyring on first use
        const version = addKeyVersion(runtime.config.keyringPath);
        await createAuditLog(runtime.database).append({
          ...cliActor(),
          type: 'keys.rotate',
          action: 'keys rotate',
          outcome: 'allowed',
          details: { keyVersion: version },
        });
        say(`Added key version ${version}.`);
        const { set, versions } = await loadPolicySet(runtime.database);
        for (const policy of set.datasets.values()) {
          const summary = await rebuildWithProgress(runtime, policy, versions.get(policy.dataset)!.version);
          say(`${policy.dataset}: re-derived ${summary.rows} row(s) with key version ${version}.`);
        }
      });
    });
}
