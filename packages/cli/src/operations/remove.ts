import { listLoads } from '@airlock/ingest';
import { removeThenRefresh } from '@airlock/workflows';
import { appliedPolicy } from '../applied-policy.ts';
import { openKeys } from '../keys.ts';
import type { Operation } from '../operation.ts';
import { riskLine } from './risk.ts';
import { refreshLine, synthesisProgress } from './synth.ts';

/** `airlock remove`: list loads, or remove one load or the whole dataset and rebuild the derived zones. */
export const remove: Operation<{ dataset: string; load?: number | undefined; list?: boolean | undefined }> = async (context, { dataset, load, list }) => {
  const { config, database, actor, out } = context;
  const { policy, version } = await appliedPolicy(database, dataset);
  if (list) {
    const loads = await listLoads(database, dataset);
    if (loads.length === 0) out.say(`${dataset}: no loads.`);
    for (const l of loads) {
      out.say(
        `${l.id}\t${l.fileName}\tsha256 ${l.sha256.slice(0, 12)}\tloaded ${l.loaded}\tduplicates ${l.duplicates}\trejected ${l.rejected}\t${l.completedAt ? `completed ${l.completedAt.toISOString()}` : 'incomplete'}`,
      );
    }
    return;
  }
  const synthesis = synthesisProgress(out, dataset);
  const { removal: summary, synthetic } = await removeThenRefresh({
    database,
    policy,
    policyVersion: version,
    keys: openKeys(config),
    actor,
    load,
    onSynthesisProgress: synthesis.onProgress,
  }).finally(() => synthesis.stop());
  if (summary.load === undefined) {
    out.say(`${dataset}: removed the whole dataset (${summary.removedRows} row(s)); its restricted, deidentified and synthetic tables are gone.`);
    return;
  }
  out.say(`${dataset}: removed load ${summary.load} (${summary.removedRows} row(s)); ${summary.remainingRows} row(s) left.`);
  const risk = riskLine(dataset, summary.risk);
  if (risk) out.say(risk);
  switch (synthetic.kind) {
    case 'released':
      out.say(
        synthetic.result.decision.kind === 'publish'
          ? `Synthetic release ${synthetic.result.releaseId} of ${dataset} published from the remaining rows.`
          : `Synthetic release ${synthetic.result.releaseId} of ${dataset} refused; the synthetic zone stays empty.`,
      );
      break;
    case 'too-few-rows':
      out.say(refreshLine(dataset, synthetic)!);
      break;
    case 'not-asked':
      break;
  }
};
