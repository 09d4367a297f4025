import type { DateGrain } from '@airlock/core';
import { canRead, isSteward, type Deny } from './access.ts';
import type { AggregateMeasure, AggregatePrivacy, PolicySet } from './model.ts';

/** What an aggregate query on a dataset may do. */
export interface AggregateRules {
  /** Cells whose noisy count of distinct subjects is below this are suppressed. */
  readonly minCount: number;
  /** Date columns may be bucketed at this grain or coarser; windows align to it. */
  readonly finestDateGrain: DateGrain;
  readonly dimensions: readonly string[];
  /**
   * The values each dimension declares, with null for a nullable column (all returned, noisy), or
   * absent when the policy lists none (keys then come from the data, by partition selection).
   */
  readonly declaredValues: ReadonlyMap<string, readonly (string | null)[]>;
  readonly measures: readonly AggregateMeasure[];
  readonly dateColumns: readonly string[];
  readonly maxRowsPerSubject: number;
  readonly privacy: AggregatePrivacy;
  /**
   * Exact aggregates, no noise and no charge: for steward roles of the restricted zone, who may
   * read the raw rows anyway. Every other caller gets differentially private releases.
   */
  readonly exact: boolean;
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
  const policy = set.datasets.get(dataset)!;
  const declaredValues = new Map<string, readonly (string | null)[]>();
  for (const column of policy.columns) {
    if (aggregate.dimensions.includes(column.name) && column.values) declaredValues.set(column.name, column.nullable ? [...column.values, null] : column.values);
  }
  return Object.freeze({
    kind: 'allow',
    minCount: aggregate.minCount,
    finestDateGrain: aggregate.finestDateGrain,
    dimensions: aggregate.dimensions,
    declaredValues,
    measures: aggregate.measures,
    dateColumns: aggregate.dateColumns,
    maxRowsPerSubject: aggregate.maxRowsPerSubject,
    privacy: aggregate.privacy,
    exact: isSteward(set, roles) && canRead(set, roles, dataset, 'restricted').kind === 'allow',
  });
}
