import { statSync } from 'node:fs';
import { ingestThenRefresh } from '@airlock/workflows';
import { appliedPolicy } from '../applied-policy.ts';
import { openKeys } from '../keys.ts';
import type { Operation } from '../operation.ts';
import { CliExit } from '../output.ts';
import { riskLine } from './risk.ts';
import { refreshLine, synthesisProgress } from './synth.ts';

export interface IngestArgs {
  dataset: string;
  /** Absolute path of the CSV file. */
  file: string;
  delimiter: string;
  batchSize: number;
  maxRecordBytes: number;
  /** Exit 1 above this share of rejected rows. */
  maxRejected: number;
}

/** `airlock ingest`: load a CSV file, then refresh the synthetic zone when the policy asks. */
export const ingest: Operation<IngestArgs> = async (context, args) => {
  const { config, database, actor, out } = context;
  const { dataset, file } = args;
  const { policy, version } = await appliedPolicy(database, dataset);
  const megabytes = (statSync(file, { throwIfNoEntry: false })?.size ?? 0) / 1e6;
  const bar = out.progress(`ingest ${dataset}`, Math.max(0.01, Number(megabytes.toFixed(2))), 'MB', '{loaded} loaded ({rows_per_s} rows/s), {rejected} rejected');
  const started = Date.now();
  const synthesis = synthesisProgress(out, dataset);
  let result;
  try {
    result = await ingestThenRefresh({
      database,
      policy,
      policyVersion: version,
      keys: openKeys(config),
      file,
      delimiter: args.delimiter,
      batchSize: args.batchSize,
      maxRecordBytes: args.maxRecordBytes,
      actor,
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
    out.say(`${file} was already loaded into ${dataset} (sha256 ${summary.sha256.slice(0, 12)}): nothing to do.`);
    return;
  }
  for (const reject of summary.sampleRejects) out.warn(`${file}:${reject.line}: rejected: ${reject.reason}`);
  if (summary.rejected > summary.sampleRejects.length) {
    out.warn(`... and ${summary.rejected - summary.sampleRejects.length} more rejected row(s): \`airlock rejects ${dataset}\` lists them all.`);
  }
  const rate = summary.seconds > 0 ? Math.round(summary.read / summary.seconds) : summary.read;
  out.say(
    `${dataset}: read ${summary.read}, loaded ${summary.loaded}, rejected ${summary.rejected}, ` +
      `already loaded ${summary.alreadyLoaded}, duplicates of earlier loads ${summary.duplicates}, in ${summary.seconds.toFixed(1)} s (${rate} rows/s).`,
  );
  const risk = riskLine(dataset, summary.risk);
  if (risk) out.say(risk);
  const refreshed = refreshLine(dataset, result.synthetic);
  if (refreshed) out.say(refreshed);
  if (summary.read > 0 && summary.rejected / summary.read > args.maxRejected) {
    out.warn(
      `${summary.rejected} of ${summary.read} rows (${((summary.rejected / summary.read) * 100).toFixed(1)}%) were rejected, more than --max-rejected ${(args.maxRejected * 100).toFixed(1)}%: ` +
        `see \`airlock rejects ${dataset}\`, fix the rows and ingest the file again (rows already loaded are skipped).`,
    );
    throw new CliExit(1);
  }
};
