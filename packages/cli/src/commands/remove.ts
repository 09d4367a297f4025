import type { Command } from 'commander';
import { AirlockError } from '@airlock/core';
import { operate } from './operate.ts';

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
      await operate('remove', { dataset, load: options.load, list: options.list });
    });
}

function parseLoad(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new AirlockError('BAD_REQUEST', `--load must be a load id (a positive integer; see --list), got "${value}"`);
  return n;
}
