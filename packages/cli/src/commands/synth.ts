import type { Command } from 'commander';
import { AirlockError } from '@airlock/core';
import { operate } from './operate.ts';

export function registerSynthCommand(program: Command): void {
  program
    .command('synth')
    .description('Fit a generator to a dataset\'s restricted rows, sample a synthetic release, report on it, and publish it if it passes the privacy gate.')
    .argument('<dataset>', 'dataset name')
    .option('-r, --rows <n>', 'rows to release (default: as many as the real data)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new AirlockError('BAD_REQUEST', `--rows must be a positive integer, got "${v}".`);
      return n;
    })
    .option('-s, --seed <seed>', 'seed: the same seed and data give the same release')
    .action(async (dataset: string, options: { rows?: number; seed?: string }) => {
      await operate('synth', { dataset, rows: options.rows, seed: options.seed });
    });
}
