import type { Command } from 'commander';
import { AirlockError } from '@airlock/core';
import { listRejects } from '@airlock/ingest';
import { appliedPolicy } from '../applied-policy.ts';
import { say, using } from '../output.ts';
import { openRuntime } from '../runtime.ts';

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
      await using(openRuntime, async (runtime) => {
        await appliedPolicy(runtime, dataset);
        const page = await listRejects(runtime.database, dataset, { loadId: options.load, limit: options.limit, offset: options.offset });
        if (options.json) {
          for (const row of page.rows) say(JSON.stringify(row));
          return;
        }
        if (page.total === 0) {
          say(`${dataset}: no rejected rows${options.load === undefined ? '' : ` in load ${options.load}`}.`);
          return;
        }
        for (const row of page.rows) {
          say(`${row.fileName}:${row.line}${row.column ? ` (${row.column})` : ''}: ${row.reason}`);
          say(`    ${row.raw.length > 200 ? `${row.raw.slice(0, 200)}…` : row.raw}`);
        }
        const shown = `${options.offset + 1}–${options.offset + page.rows.length}`;
        say(`${dataset}: rejected rows ${shown} of ${page.total}${page.total > options.offset + page.rows.length ? `; more with --offset ${options.offset + page.rows.length}` : ''}.`);
      });
    });
}

function whole(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new AirlockError('BAD_REQUEST', `${flag} must be a whole number ≥ ${min}, got "${value}".`);
  return n;
}
