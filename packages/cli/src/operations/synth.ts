import type { DatasetPolicy } from '@airlock/policy';
import { synthesizeDataset, type SynthesizeDatasetResult } from '@airlock/releases';
import { MIN_ROWS_TO_SYNTHESIZE, type SyntheticRefresh } from '@airlock/workflows';
import { appliedPolicy } from '../applied-policy.ts';
import type { Operation, OperationContext, OperationOutput } from '../operation.ts';
import { CliExit } from '../output.ts';

const PHASES = ['read', 'split', 'fit', 'sample', 'quality', 'utility', 'privacy', 'decide', 'publish'] as const;

/** `airlock synth`: fit, sample, report, and publish if the privacy gate passes; exit 1 when refused. */
export const synth: Operation<{ dataset: string; rows?: number | undefined; seed?: string | undefined }> = async (context, { dataset, rows, seed }) => {
  const { policy, version } = await appliedPolicy(context.database, dataset);
  const result = await runSynthesis(context, policy, version, { rows, seed });
  printReport(context.out, dataset, result);
  if (result.decision.kind === 'refuse') throw new CliExit(1);
};

/** Run a synthesis with a progress bar over its phases. */
async function runSynthesis(
  { database, actor, out }: OperationContext,
  policy: DatasetPolicy,
  version: number,
  options: { rows?: number | undefined; seed?: string | undefined },
): Promise<SynthesizeDatasetResult> {
  const progress = synthesisProgress(out, policy.dataset);
  try {
    return await synthesizeDataset({ database, policy, policyVersion: version, rows: options.rows, seed: options.seed, actor, onProgress: progress.onProgress });
  } finally {
    progress.stop();
  }
}

function printReport(out: OperationOutput, dataset: string, result: SynthesizeDatasetResult): void {
  const { quality, utility, privacy } = result.reports;
  const f = (n: number) => n.toFixed(3);
  out.say(`${dataset}: release ${result.releaseId}, ${result.rows} synthetic rows, ${(result.timings.total / 1000).toFixed(1)} s`);
  out.say(`  quality   overall ${f(quality.overall)} (column shapes ${f(quality.columnShapes.score)}, pair trends ${f(quality.columnPairTrends.score)})`);
  if (utility) {
    out.say(
      `  utility   ROC AUC ${f(utility.syntheticTrained.rocAuc)} trained on synthetic vs ${f(utility.realTrained.rocAuc)} on real (gap ${f(utility.gaps.rocAuc)}); ` +
        `F1 ${f(utility.syntheticTrained.f1)} vs ${f(utility.realTrained.f1)}`,
    );
  }
  out.say(`  privacy   exact-match ratio ${f(privacy.exactMatch.ratio)}, closer-to-train share ${f(privacy.dcr.closerToTrainShare)}, new rows ${(privacy.newRowRate * 100).toFixed(1)}%`);
  const dp = result.reports.differentialPrivacy;
  if (dp) {
    out.say(
      `  dp        ε = ${dp.epsilon.toFixed(2)} at δ = ${dp.delta} (ρ = ${dp.rho.toPrecision(3)}), at most ${dp.fit.maxRowsPerSubject} row(s) per subject; ` +
        `ρ ${dp.spentRho.toPrecision(3)} of ${dp.budgetRho.toPrecision(3)} spent on synthetic releases until ${dp.renewsAt}`,
    );
  }
  if (result.decision.kind === 'publish') {
    out.say(`  published to synthetic.${dataset}`);
  } else {
    for (const failure of result.decision.failures) out.warn(`  refused: ${failure.message}`);
  }
}

/**
 * A progress bar over a synthesis's phases for the work that ends with one; it appears with the
 * first phase, after whatever ran before it.
 */
export function synthesisProgress(out: OperationOutput, dataset: string): { onProgress: (phase: (typeof PHASES)[number]) => void; stop(): void } {
  let bar: ReturnType<OperationOutput['progress']> | undefined;
  return {
    onProgress(phase) {
      bar ??= out.progress(`synth ${dataset}`, PHASES.length, 'steps', '{phase}');
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
