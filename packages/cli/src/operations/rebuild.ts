import { rebuildDataset, type RebuildSummary } from '@airlock/ingest';
import type { DatasetPolicy } from '@airlock/policy';
import { appliedPolicy } from '../applied-policy.ts';
import { openKeys } from '../keys.ts';
import type { Operation, OperationContext } from '../operation.ts';
import { riskLine } from './risk.ts';

/** `airlock rebuild`: re-derive a dataset's deidentified zone with its applied policy and the current key. */
export const rebuild: Operation<{ dataset: string }> = async (context, { dataset }) => {
  const { policy, version } = await appliedPolicy(context.database, dataset);
  const summary = await rebuildWithProgress(context, policy, version);
  context.out.say(`${dataset}: rebuilt ${summary.rows} row(s) with policy version ${version} and key version ${summary.keyVersion} in ${summary.seconds.toFixed(1)} s.`);
  const risk = riskLine(dataset, summary.risk);
  if (risk) context.out.say(risk);
};

/** A rebuild with a progress bar over the rows. */
export async function rebuildWithProgress({ config, database, actor, out }: OperationContext, policy: DatasetPolicy, version: number): Promise<RebuildSummary> {
  let bar: ReturnType<typeof out.progress> | undefined;
  try {
    return await rebuildDataset({
      database,
      policy,
      policyVersion: version,
      keys: openKeys(config),
      actor,
      onProgress: (done, total) => {
        bar ??= out.progress(`rebuild ${policy.dataset}`, total, 'rows');
        bar.update(done);
      },
    });
  } finally {
    bar?.stop();
  }
}
