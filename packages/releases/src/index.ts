export { syntheticReleaseGate, synthesizeDataset } from './synthesize-dataset.ts';
export type { ReleaseGateReport, SynthesizeDatasetOptions, SynthesizeDatasetResult } from './synthesize-dataset.ts';
export { latestRelease } from './latest-release.ts';
export type { ReleaseRecord } from './latest-release.ts';
export { recreateSyntheticTable, syntheticColumns } from './synthetic-table.ts';
