import type { Command } from 'commander';
import { AirlockError } from '@airlock/core';
import { listLoads } from '@airlock/ingest';
import { removeThenRefresh } from '@airlock/workflows';
import { openKeys } from '../keys.ts';
import { say, using } from '../output.ts';
import { cliActor, openRuntime } from '../runtime.ts';
import { appliedPolicy } from '../applied-policy.ts';
import { riskLine } from './risk.ts';
import { refreshLine, synthesisProgress } from './synth.ts';

export function registerRemoveCommand(program: Command): void {
  program
    .command('remove')
    .description('Remove one load, or a whole dataset, and rebuild every derived zone (audited).')
    .argument('<dataset>', 'dataset name')
    .option('--load <id>', 'the load to remove (see --list); without it, the whole dataset', (v) => parseLoad(v))
    .option('--list', 'list the loads of the dataset and exit')
    .addHelpText(
      'after',
      '\nRemoving a load deletes its raw rows and rejects, re-derives the deidentified zone (risk targets\n' +
        'enforced again) and re-synthesizes the synthetic zone. Removing the dataset drops its tables.',
    )
    .action(async (dataset: string, options: { load?: number; list?: boolean }) => {
      await using(openRuntime, async (runtime) => {
        const { policy, version } = await appliedPolicy(runtime, dataset);
        if (options.list) {
          const loads = await listLoads(runtime.database, dataset);
          if (loads.length === 0) say(`${dataset}: no loads.`);
          for (const l of loads) {
            say(`${l.id}\t${l.fileName}\tsha256 ${l.sha256.slice(0, 12)}\tloaded ${l.loaded}\tduplicates ${l.duplicates}\trejected ${l.rejected}\t${l.completedAt ? `completed ${l.completedAt.toISOString()}` : 'incomplete'}`);
          }
          return;
        }
        const synthesis = synthesisProgress(runtime, dataset);
        const { removal: summary, synthetic } = await removeThenRefresh({
          database: runtime.database,
          policy,
          policyVersion: version,
          keys: openKeys(runtime.config),
          actor: cliActor(),
          load: options.load,
          onSynthesisProgress: synthesis.onProgress,
        }).finally(() => synthesis.stop());
        if (summary.load === undefined) {
          say(`${dataset}: removed the whole dataset (${summary.removedRows} row(s)); its restricted, deidentified and synthetic tables are gone.`);
          return;
        }
        say(`${dataset}: removed load ${summary.load} (${summary.removedRows} row(s)); ${summary.remainingRows} row(s) left.`);
        const risk = riskLine(dataset, summary.risk);
        if (risk) say(risk);
        switch (synthetic.kind) {
          case 'released':
            say(
              synthetic.result.decision.kind === 'publish'
                ? `Synthetic release ${synthetic.result.releaseId} of ${dataset} published from the remaining rows.`
                : `Synthetic release ${synthetic.result.releaseId} of ${dataset} refused; the synthetic zone stays empty.`,
            );
            break;
          case 'too-few-rows':
            say(refreshLine(dataset, synthetic)!);
            break;
          case 'not-asked':
            break;
        }
      });
    });
}

function parseLoad(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new AirlockError('BAD_REQUEST', `--load must be a load id (a positive integer; see --list), got "${value}"`);
  return n;
}
