import type { DateGrain } from '@airlock/core';
import { canRead, type Deny } from './access.ts';
import type { PolicySet } from './model.ts';

/** What an aggregate query on a dataset may do. */
export interface AggregateRules {
  /** Cells with fewer distinct subjects are suppressed. */
  readonly minCount: number;
  /** Date columns may be bucketed at this grain or coarser. */
  readonly finestDateGrain: DateGrain;
  readonly dimensions: readonly string[];
  readonly measures: readonly string[];
  readonly dateColumns: readonly string[];
}

/** The outcome of {@link aggregateRules}: the rules themselves on allow. */
export type AggregateDecision = ({ readonly kind: 'allow' } & AggregateRules) | Deny;

/** The aggregate rules of a dataset for a caller, or deny when the caller may not read its aggregate zone. */
export function aggregateRules(set: PolicySet, roles: readonly string[], dataset: string): AggregateDecision {
  const decision = canRead(set, roles, dataset, 'aggregate');
  if (decision.kind === 'deny') return decision;
  const aggregate = set.datasets.get(dataset)?.zones.aggregate;
  // Unreachable after an allow; kept so a broken set denies rather than throws.
  if (aggregate === undefined) return { kind: 'deny', reason: `dataset "${dataset}" has no aggregate zone` };
  return Object.freeze({
    kind: 'allow',
    minCount: aggregate.minCount,
    finestDateGrain: aggregate.finestDateGrain,
    dimensions: aggregate.dimensions,
    measures: aggregate.measures,
    dateColumns: aggregate.dateColumns,
  });
}
