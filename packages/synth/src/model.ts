import type { FakeKind } from './types.ts';
import type { NumericKind } from './values.ts';

/** The category that rare values are folded into; sampled back as {@link OTHER_VALUE}. */
export const OTHER_CATEGORY = '__other__';
/** What a folded category looks like in synthetic rows. */
export const OTHER_VALUE = 'Other';
/** Version tag of the serialized model; bump when the shape changes. */
export const MODEL_FORMAT = 'airlock-synth/bayes-net@1';

/**
 * A fitted generator: plain JSON (no class instances, no typed arrays), so it can be stored and
 * sampled later. It holds no identifier value and no category seen fewer than
 * `minCategoryCount` times in the training rows.
 */
export interface GeneratorModel {
  readonly format: typeof MODEL_FORMAT;
  readonly seed: number | string;
  /** Number of real rows the model was fitted on. */
  readonly trainingRows: number;
  readonly minCategoryCount: number;
  readonly label: string | null;
  /** Every column of the table, in table order. */
  readonly columns: readonly ColumnModel[];
  /** Nodes of the Bayesian network in sampling (topological) order; identifiers are not nodes. */
  readonly network: readonly NetworkNode[];
}

/** How one column's states are turned back into values. */
export type ColumnModel = IdentifierColumnModel | DiscreteColumnModel | NumericColumnModel;

export interface IdentifierColumnModel {
  readonly name: string;
  readonly kind: 'identifier';
  readonly fake: FakeKind;
  /** Share of null cells in the training rows. */
  readonly nullRate: number;
}

export interface DiscreteColumnModel {
  readonly name: string;
  readonly kind: 'categorical' | 'boolean';
  /** State i is `states[i]`; null is the null state; {@link OTHER_CATEGORY} the folded values. */
  readonly states: readonly (string | null)[];
  /** How many distinct real values were folded into {@link OTHER_CATEGORY}. */
  readonly foldedValues: number;
}

export interface NumericColumnModel {
  readonly name: string;
  readonly kind: NumericKind;
  /**
   * State i is a bin: sorted knots of the inverse CDF of the training values that fell in it
   * (first knot the bin's smallest value, last its largest), or null for the null state.
   */
  readonly states: readonly (readonly number[] | null)[];
  /**
   * Resolution of the real values (every one was a multiple of it): sampled values are rounded
   * to it, so money stays in cents and timestamps in whole seconds. Integers and dates use 1.
   */
  readonly step: number;
  /**
   * For a date or timestamp never earlier than another column of its kind in the training rows
   * (discharge after admission): that column's name, and the states describe the difference
   * (this − that), so synthetic rows keep the order. Null otherwise.
   */
  readonly offsetFrom: string | null;
}

/** One node: a column's states conditioned on its parents' states. */
export interface NetworkNode {
  readonly column: string;
  /** Parent columns; the configuration index is mixed-radix with the last parent varying fastest. */
  readonly parents: readonly string[];
  /** `cpt[configuration][state]`: probabilities, each row summing to 1. */
  readonly cpt: readonly (readonly number[])[];
}
