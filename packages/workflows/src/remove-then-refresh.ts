import { removeData, type RemoveOptions, type RemoveSummary } from '@airlock/ingest';
import { synthesizeDataset, type SynthesizeDatasetOptions } from '@airlock/releases';
import { MIN_ROWS_TO_SYNTHESIZE, type SyntheticRefresh } from './refresh-synthetic.ts';

export interface RemoveThenRefreshOptions extends RemoveOptions {
  /** Phases of the synthesis, when one runs. */
  onSynthesisProgress?: SynthesizeDatasetOptions['onProgress'];
}

/**
 * Remove one load (or the whole dataset), then re-synthesize the synthetic zone from what is
 * left, if the policy has one: removed people must not stay in a release fitted to them. With
 * fewer than {@link MIN_ROWS_TO_SYNTHESIZE} rows left the zone stays empty. Removing the whole
 * dataset drops its tables, so there is nothing to refresh.
 */
export async function removeThenRefresh(options: RemoveThenRefreshOptions): Promise<{ removal: RemoveSummary; synthetic: SyntheticRefresh }> {
  const { onSynthesisProgress, ...removeOptions } = options;
  const removal = await removeData(removeOptions);
  if (removal.load === undefined || !options.policy.zones.synthetic) return { removal, synthetic: { kind: 'not-asked' } };
  if (removal.remainingRows < MIN_ROWS_TO_SYNTHESIZE) return { removal, synthetic: { kind: 'too-few-rows' } };
  const result = await synthesizeDataset({
    database: options.database,
    policy: options.policy,
    policyVersion: options.policyVersion,
    actor: options.actor,
    onProgress: onSynthesisProgress,
  });
  return { removal, synthetic: { kind: 'released', result } };
}
