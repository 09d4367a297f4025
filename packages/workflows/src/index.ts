/**
 * `@airlock/workflows`: the steps that go together whoever starts them — the command line, the
 * server at start, tests. Each composes packages (ingest, releases, demo); none holds SQL.
 */
export { ingestThenRefresh } from './ingest-then-refresh.ts';
export type { IngestThenRefreshOptions, IngestThenRefreshResult } from './ingest-then-refresh.ts';
export { refreshSyntheticAfterIngest, refreshesAfterIngest, MIN_ROWS_TO_SYNTHESIZE } from './refresh-synthetic.ts';
export type { RefreshOptions, SyntheticRefresh } from './refresh-synthetic.ts';
export { removeThenRefresh } from './remove-then-refresh.ts';
export type { RemoveThenRefreshOptions } from './remove-then-refresh.ts';
export { loadDemoIfEmpty } from './demo-data.ts';
export type { DemoDataOptions } from './demo-data.ts';
export { applyPolicies } from './apply-policies.ts';
export type { ApplyOutcome, ApplyPoliciesOptions } from './apply-policies.ts';
