import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { AirlockError } from '@airlock/core';
import { rebuildDataset } from '@airlock/ingest';
import type { DatasetPolicy } from '@airlock/policy';
import { ingestThenRefresh } from '@airlock/workflows';
import { openKeys } from '../keys.ts';
import { CliExit, say, using, warn } from '../output.ts';
import { progressBar } from '../progress.ts';
import { appliedPolicy } from '../applied-policy.ts';
import { cliActor, openRuntime, type Runtime } from '../runtime.ts';
import { riskLine } from './risk.ts';
import { refreshLine, synthesisProgress } from './synth.ts';

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
      await using(openRuntime, async (runtime) => {
        const { policy, version } = await appliedPolicy(runtime, dataset);
        const megabytes = (statSync(file, { throwIfNoEntry: false })?.size ?? 0) / 1e6;
        const bar = progressBar(runtime.config.cli.progress, `ingest ${dataset}`, Math.max(0.01, Number(megabytes.toFixed(2))), 'MB', '{loaded} loaded ({rows_per_s} rows/s), {rejected} rejected');
        const started = Date.now();
        const synthesis = synthesisProgress(runtime, dataset);
        let result;
        try {
          result = await ingestThenRefresh({
            database: runtime.database,
            policy,
            policyVersion: version,
            keys: openKeys(runtime.config),
            file,
            delimiter: options.delimiter === '\\t' ? '\t' : options.delimiter,
            batchSize: options.batchSize,
            maxRecordBytes: options.maxRecordBytes,
            actor: cliActor(),
            onProgress: (p) =>
              bar.update(Number((p.bytesRead / 1e6).toFixed(2)), {
                loaded: p.loaded,
                rejected: p.rejected,
                rows_per_s: Math.round((p.loaded + p.rejected) / Math.max(0.001, (Date.now() - started) / 1000)),
              }),
            // The load is done when the synthetic refresh begins.
            onSynthesisProgress: (phase) => {
              bar.stop();
              synthesis.onProgress(phase);
            },
          });
        } finally {
          bar.stop();
          synthesis.stop();
        }
        const summary = result.ingest;
        if (summary.noop) {
          say(`${file} was already loaded into ${dataset} (sha256 ${summary.sha256.slice(0, 12)}): nothing to do.`);
          return;
        }
        for (const reject of summary.sampleRejects) warn(`${file}:${reject.line}: rejected: ${reject.reason}`);
        if (summary.rejected > summary.sampleRejects.length) {
          warn(`... and ${summary.rejected - summary.sampleRejects.length} more rejected row(s) in restricted.ingest_rejects.`);
        }
        const rate = summary.seconds > 0 ? Math.round(summary.read / summary.seconds) : summary.read;
        say(
          `${dataset}: read ${summary.read}, loaded ${summary.loaded}, rejected ${summary.rejected}, ` +
            `already loaded ${summary.alreadyLoaded}, duplicates of earlier loads ${summary.duplicates}, in ${summary.seconds.toFixed(1)} s (${rate} rows/s).`,
        );
        const risk = riskLine(dataset, summary.risk);
        if (risk) say(risk);
        const refreshed = refreshLine(dataset, result.synthetic);
        if (refreshed) say(refreshed);
        if (summary.read > 0 && summary.rejected / summary.read > options.maxRejected) {
          warn(
            `${summary.rejected} of ${summary.read} rows (${((summary.rejected / summary.read) * 100).toFixed(1)}%) were rejected, more than --max-rejected ${(options.maxRejected * 100).toFixed(1)}%: ` +
              `see \`airlock rejects ${dataset}\`, fix the rows and ingest the file again (rows already loaded are skipped).`,
          );
          throw new CliExit(1);
        }
      });
    });

  program
    .command('rebuild')
    .description('Re-derive the deidentified zone of a dataset from its restricted rows (after a policy change or key rotation).')
    .argument('<dataset>', 'dataset name')
    .action(async (dataset: string) => {
      await using(openRuntime, async (runtime) => {
        const { policy, version } = await appliedPolicy(runtime, dataset);
        const summary = await rebuildWithProgress(runtime, policy, version);
        say(`${dataset}: rebuilt ${summary.rows} row(s) with policy version ${version} and key version ${summary.keyVersion} in ${summary.seconds.toFixed(1)} s.`);
        const risk = riskLine(dataset, summary.risk);
        if (risk) say(risk);
      });
    });
}

export async function rebuildWithProgress(runtime: Runtime, policy: DatasetPolicy, version: number): ReturnType<typeof rebuildDataset> {
  let bar: ReturnType<typeof progressBar> | undefined;
  try {
    return await rebuildDataset({
      database: runtime.database,
      policy,
      policyVersion: version,
      keys: openKeys(runtime.config),
      actor: cliActor(),
      onProgress: (done, total) => {
        bar ??= progressBar(runtime.config.cli.progress, `rebuild ${policy.dataset}`, total, 'rows');
        bar.update(done);
      },
    });
  } finally {
    bar?.stop();
  }
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
