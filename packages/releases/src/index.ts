export { synthesizeDataset } from './synthesize-dataset.ts';
export type { SynthesizeDatasetOptions, SynthesizeDatasetResult } from './synthesize-dataset.ts';
export { latestRelease } from './latest-release.ts';
export type { ReleaseRecord } from './latest-release.ts';
export { syntheticColumns } from './synthetic-table.ts';
