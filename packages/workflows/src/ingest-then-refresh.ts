import { ingestFile, type IngestOptions, type IngestSummary } from '@airlock/ingest';
import type { SynthesizeDatasetOptions } from '@airlock/releases';
import { refreshSyntheticAfterIngest, type SyntheticRefresh } from './refresh-synthetic.ts';

export interface IngestThenRefreshOptions extends IngestOptions {
  /** Phases of the synthesis, when one runs. */
  onSynthesisProgress?: SynthesizeDatasetOptions['onProgress'];
}

export interface IngestThenRefreshResult {
  ingest: IngestSummary;
  /** `not-asked` too when nothing new was loaded (a repeated file, or only duplicates). */
  synthetic: SyntheticRefresh;
}

/**
 * Load a CSV file into a dataset, then, when rows were loaded and the policy asks for it
 * (`synthetic.refresh_after_ingest`), publish a new synthetic release of the dataset. The same
 * steps for `airlock ingest`, the demo data of `airlock start`, and any other caller.
 */
export async function ingestThenRefresh(options: IngestThenRefreshOptions): Promise<IngestThenRefreshResult> {
  const { onSynthesisProgress, ...ingestOptions } = options;
  const ingest = await ingestFile(ingestOptions);
  if (ingest.noop || ingest.loaded === 0) return { ingest, synthetic: { kind: 'not-asked' } };
  const synthetic = await refreshSyntheticAfterIngest({
    database: options.database,
    policy: options.policy,
    policyVersion: options.policyVersion,
    actor: options.actor,
    onProgress: onSynthesisProgress,
  });
  return { ingest, synthetic };
}
