import path from 'node:path';
import type { Command } from 'commander';
import { AirlockError } from '@airlock/core';
import type { IngestArgs } from '../operations/ingest.ts';
import { operate } from './operate.ts';

export function registerIngestCommands(program: Command): void {
  program
    .command('ingest')
    .description('Load a CSV file into a dataset: raw rows to the restricted zone, their deidentified rows to the open zone.')
    .argument('<dataset>', 'dataset name (its policy must be applied)')
    .argument('<file>', 'CSV file with a header row')
    .option('-d, --delimiter <char>', 'field delimiter', ',')
    .option('--batch-size <rows>', 'records per transaction', parsePositive, 5000)
    .option('--max-record-bytes <bytes>', 'largest record accepted', parsePositive, 1 << 20)
    .option('--max-rejected <share>', 'exit 1 when more than this share of the rows read is rejected (0 to 1, or a percentage)', parseShare, DEFAULT_MAX_REJECTED)
    .addHelpText(
      'after',
      '\nRe-running with the same file is a no-op; after an interrupted run it loads exactly what is missing.\n' +
        'Rejected rows are kept with line, column and reason: list them with `airlock rejects <dataset>`.\n' +
        'The good rows are loaded either way; the exit code says whether the rejections stayed under --max-rejected.',
    )
    .action(async (dataset: string, file: string, options: { delimiter: string; batchSize: number; maxRecordBytes: number; maxRejected: number }) => {
      if (options.delimiter.length !== 1 && options.delimiter !== '\\t') {
        throw new AirlockError('BAD_REQUEST', `--delimiter must be one character, got "${options.delimiter}".`);
      }
      await operate('ingest', {
        dataset,
        file: path.resolve(file),
        delimiter: options.delimiter === '\\t' ? '\t' : options.delimiter,
        batchSize: options.batchSize,
        maxRecordBytes: options.maxRecordBytes,
        maxRejected: options.maxRejected,
      } satisfies IngestArgs);
    });

  program
    .command('rebuild')
    .description('Re-derive the deidentified zone of a dataset from its restricted rows (after a policy change or key rotation).')
    .argument('<dataset>', 'dataset name')
    .action(async (dataset: string) => {
      await operate('rebuild', { dataset });
    });
}

/** Default of --max-rejected: a file with more than 5% bad rows is more likely the wrong file or a wrong policy. */
const DEFAULT_MAX_REJECTED = 0.05;

function parseShare(value: string): number {
  const percent = value.trim().endsWith('%');
  const n = Number(percent ? value.trim().slice(0, -1) : value) / (percent ? 100 : 1);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new AirlockError('BAD_REQUEST', `--max-rejected must be a share from 0 to 1 (or 0% to 100%), got "${value}".`);
  return n;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new AirlockError('BAD_REQUEST', `expected a positive integer, got "${value}"`);
  return n;
}
