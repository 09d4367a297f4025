import type { Command } from 'commander';
import { AirlockError } from '@airlock/core';
import type { DatasetPolicy } from '@airlock/policy';
import { synthesizeDataset, type SynthesizeDatasetResult } from '@airlock/releases';
import { MIN_ROWS_TO_SYNTHESIZE, type SyntheticRefresh } from '@airlock/workflows';
import { CliExit, say, using, warn } from '../output.ts';
import { progressBar } from '../progress.ts';
import { cliActor, openRuntime, type Runtime } from '../runtime.ts';
import { appliedPolicy } from '../applied-policy.ts';

const PHASES = ['read', 'split', 'fit', 'sample', 'quality', 'utility', 'privacy', 'decide', 'publish'] as const;

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
      await using(openRuntime, async (runtime) => {
        const { policy, version } = await appliedPolicy(runtime, dataset);
        const result = await runSynthesis(runtime, policy, version, options);
        printReport(dataset, result);
        if (result.decision.kind === 'refuse') throw new CliExit(1);
      });
    });
}

/** Run a synthesis with a progress bar over its phases. */
export async function runSynthesis(runtime: Runtime, policy: DatasetPolicy, version: number, options: { rows?: number | undefined; seed?: string | undefined } = {}): Promise<SynthesizeDatasetResult> {
  const bar = progressBar(runtime.config.cli.progress, `synth ${policy.dataset}`, PHASES.length, 'steps', '{phase}');
  try {
    return await synthesizeDataset({
      database: runtime.database,
      policy,
      policyVersion: version,
      rows: options.rows,
      seed: options.seed,
      actor: cliActor(),
      onProgress: (phase) => bar.update(PHASES.indexOf(phase) + 1, { phase }),
    });
  } finally {
    bar.stop();
  }
}

function printReport(dataset: string, result: SynthesizeDatasetResult): void {
  const { quality, utility, privacy } = result.reports;
  const f = (n: number) => n.toFixed(3);
  say(`${dataset}: release ${result.releaseId}, ${result.rows} synthetic rows, ${(result.timings.total / 1000).toFixed(1)} s`);
  say(`  quality   overall ${f(quality.overall)} (column shapes ${f(quality.columnShapes.score)}, pair trends ${f(quality.columnPairTrends.score)})`);
  if (utility) {
    say(
      `  utility   ROC AUC ${f(utility.syntheticTrained.rocAuc)} trained on synthetic vs ${f(utility.realTrained.rocAuc)} on real (gap ${f(utility.gaps.rocAuc)}); ` +
        `F1 ${f(utility.syntheticTrained.f1)} vs ${f(utility.realTrained.f1)}`,
    );
  }
  say(
    `  privacy   exact-match ratio ${f(privacy.exactMatch.ratio)}, closer-to-train share ${f(privacy.dcr.closerToTrainShare)}, new rows ${(privacy.newRowRate * 100).toFixed(1)}%`,
  );
  const dp = result.reports.differentialPrivacy;
  if (dp) {
    say(
      `  dp        ε = ${dp.epsilon.toFixed(2)} at δ = ${dp.delta} (ρ = ${dp.rho.toPrecision(3)}), at most ${dp.fit.maxRowsPerSubject} row(s) per subject; ` +
        `ρ ${dp.spentRho.toPrecision(3)} of ${dp.budgetRho.toPrecision(3)} spent on synthetic releases until ${dp.renewsAt}`,
    );
  }
  if (result.decision.kind === 'publish') {
    say(`  published to synthetic.${dataset}`);
  } else {
    for (const failure of result.decision.failures) warn(`  refused: ${failure.message}`);
  }
}

/**
 * A progress bar over a synthesis's phases for the workflows that end with one; it appears with
 * the first phase, after whatever ran before it.
 */
export function synthesisProgress(runtime: Runtime, dataset: string): { onProgress: (phase: (typeof PHASES)[number]) => void; stop(): void } {
  let bar: ReturnType<typeof progressBar> | undefined;
  return {
    onProgress(phase) {
      bar ??= progressBar(runtime.config.cli.progress, `synth ${dataset}`, PHASES.length, 'steps', '{phase}');
      bar.update(PHASES.indexOf(phase) + 1, { phase });
    },
    stop: () => bar?.stop(),
  };
}

/** One line on what a refresh of the synthetic zone did, or undefined when nothing was asked of it. */
export function refreshLine(dataset: string, refresh: SyntheticRefresh): string | undefined {
  switch (refresh.kind) {
    case 'not-asked':
      return undefined;
    case 'too-few-rows':
      return `${dataset}: the synthetic zone is empty (fewer than ${MIN_ROWS_TO_SYNTHESIZE} rows left to model).`;
    case 'released': {
      const result = refresh.result;
      return result.decision.kind === 'publish'
        ? `Synthetic release ${result.releaseId} of ${dataset} published (quality ${result.reports.quality.overall.toFixed(3)}).`
        : `Synthetic release ${result.releaseId} of ${dataset} refused: ${result.decision.failures.map((f) => f.message).join('; ')}`;
    }
  }
}
