import type { Command } from 'commander';
import { AirlockError } from '@airlock/core';
import { operate } from './operate.ts';

export function registerRejectsCommand(program: Command): void {
  program
    .command('rejects')
    .description('List the rows ingest rejected, with file, line, column, reason and the record as read (raw data: run it as a steward).')
    .argument('<dataset>', 'dataset name')
    .option('--load <id>', 'only this load (see `airlock remove <dataset> --list`)', (v) => whole(v, '--load', 1))
    .option('--limit <n>', 'rows to show', (v) => whole(v, '--limit', 1), 50)
    .option('--offset <n>', 'rows to skip', (v) => whole(v, '--offset', 0), 0)
    .option('--json', 'one JSON object per line instead of text')
    .addHelpText('after', '\nFix the rows (the reason says how) and ingest them again: rows already loaded are skipped.')
    .action(async (dataset: string, options: { load?: number; limit: number; offset: number; json?: boolean }) => {
      await operate('rejects', { dataset, ...options });
    });
}

function whole(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new AirlockError('BAD_REQUEST', `${flag} must be a whole number ≥ ${min}, got "${value}".`);
  return n;
}
