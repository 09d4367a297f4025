import type { Command } from 'commander';
import { operate } from './operate.ts';

export function registerRiskCommand(program: Command): void {
  program
    .command('risk')
    .description("Show the re-identification risk report of a dataset's deidentified zone (stored with each ingest and rebuild).")
    .argument('<dataset>', 'dataset name')
    .option('--json', 'print the whole stored report as JSON')
    .addHelpText(
      'after',
      '\nk: smallest group of records sharing all quasi-identifiers, in distinct subjects. l: fewest distinct\n' +
        'sensitive values in a group. Prosecutor risk of a record: 1 / its group size. Information loss:\n' +
        'normalized certainty penalty, 0 = as the transforms publish it, 1 = nothing left.',
    )
    .action(async (dataset: string, options: { json?: boolean }) => {
      await operate('risk', { dataset, json: options.json });
    });
}
