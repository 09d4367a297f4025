import type { DatasetPolicy } from '@airlock/policy';
import { synthesizeDataset, type SynthesizeDatasetOptions, type SynthesizeDatasetResult } from '@airlock/releases';

/** Fewest restricted rows a synthetic release is fitted to; below it the synthetic zone stays empty. */
export const MIN_ROWS_TO_SYNTHESIZE = 50;

/** What the synthetic zone's refresh after a change of data did. */
export type SyntheticRefresh =
  /** The policy has no synthetic zone, or does not ask for a refresh after ingest. */
  | { kind: 'not-asked' }
  /** Too few rows are left to fit a generator to; the synthetic zone is empty. */
  | { kind: 'too-few-rows' }
  /** A release was made; `result.decision` says whether it was published or refused. */
  | { kind: 'released'; result: SynthesizeDatasetResult };

/** The options a refresh passes on to a synthesis (see `synthesizeDataset`). */
export type RefreshOptions = Pick<SynthesizeDatasetOptions, 'database' | 'policy' | 'policyVersion' | 'actor' | 'onProgress'>;

/** Whether the policy asks for a new synthetic release after new data is loaded (`synthetic.refresh_after_ingest`). */
export function refreshesAfterIngest(policy: DatasetPolicy): boolean {
  return policy.zones.synthetic?.refreshAfterIngest === true;
}

/**
 * After new data is loaded: re-release synthetic data when the policy asks for it. A refused
 * release is reported in the result (the gate decided), not thrown: the load stands.
 */
export async function refreshSyntheticAfterIngest(options: RefreshOptions): Promise<SyntheticRefresh> {
  if (!refreshesAfterIngest(options.policy)) return { kind: 'not-asked' };
  return { kind: 'released', result: await synthesizeDataset(options) };
}
