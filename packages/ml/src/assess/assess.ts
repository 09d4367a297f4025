import { loadModel } from '../predict.ts';
import type { SerializedModel } from '../model.ts';
import type { SplitIndices } from '../train.ts';
import type { Row } from '../types.ts';
import { bootstrapIntervals, type Interval } from './bootstrap.ts';
import { LEAKAGE_THRESHOLD, leakageCheck, type LeakageReport } from './leakage.ts';
import { DEFAULT_MAX_MEMBERSHIP_AUC, membershipAttack, type MembershipReport } from './membership.ts';
import { headlineMetrics, type HeadlineMetric } from './metrics.ts';
import { scoreRows, subset } from './scored.ts';
import { subgroupMetrics, type AttributeSubgroups } from './subgroups.ts';
import { permutationImportance, type FeatureImportance } from './importance.ts';

/**
 * Below these the test metrics get a warning: with fewer than 100 test rows a 95% interval of an
 * accuracy near 0.8 is about ±0.08 wide, and an AUC from fewer than 20 rows of a class moves by
 * 0.05 with a single row.
 */
export const SMALL_TEST_ROWS = 100;
export const SMALL_TEST_CLASS_ROWS = 20;

/** Version of the {@link Assessment} shape. */
export const ASSESSMENT_VERSION = 1;

/** What the card says about how far a model's figures can be trusted, and what it leaks. */
export interface Assessment {
  readonly version: typeof ASSESSMENT_VERSION;
  /** Test-split metrics with 95% percentile bootstrap intervals. */
  readonly test: {
    readonly rows: number;
    /** Rows of the smaller class (classifiers). */
    readonly minorityRows?: number | undefined;
    readonly intervals: Partial<Record<HeadlineMetric, Interval>>;
  };
  /** Membership-inference attack, with the limit in force when it was measured. */
  readonly membership: MembershipReport & { readonly limit: number; readonly withinLimit: boolean };
  readonly leakage: LeakageReport;
  /** Per-subgroup metrics of the attributes the policy names (`training.fairness_attributes`). */
  readonly subgroups: readonly AttributeSubgroups[];
  /** Permutation feature importance on the test split, most important first. */
  readonly importance: readonly FeatureImportance[];
  /** Plain-language caveats for the card: a small test set, leaky features, a model over the membership limit. */
  readonly warnings: readonly string[];
}

/** Options of {@link assessModel}. */
export interface AssessOptions {
  /** Columns to report subgroup metrics for; they may be absent from the features but must be in the rows. */
  readonly attributes?: readonly string[] | undefined;
  /** Membership AUC above which the model may not leave its zone (default {@link DEFAULT_MAX_MEMBERSHIP_AUC}). */
  readonly maxMembershipAuc?: number | undefined;
  /** Seed of the bootstrap, the attack's samples and the shuffles (default 0). */
  readonly seed?: number | string | undefined;
  /** Bootstrap resamples (default 200). */
  readonly iterations?: number | undefined;
}

/**
 * Assesses a trained model on the rows it was trained from, split as it was (`split` from
 * `splitIndices` with the training request): test metrics with bootstrap intervals, a loss-threshold
 * membership-inference attack (training rows against the validation and test rows, never trained
 * on), a single-feature leakage check, subgroup metrics and permutation importance. Pure and in
 * memory; scores rows through {@link loadModel}, the path that serves predictions.
 */
export async function assessModel(input: { model: SerializedModel; rows: readonly Row[]; split: SplitIndices }, options: AssessOptions = {}): Promise<Assessment> {
  const { model, rows, split } = input;
  const seed = options.seed ?? 0;
  const limit = options.maxMembershipAuc ?? DEFAULT_MAX_MEMBERSHIP_AUC;
  const predictor = await loadModel(model);
  const rowsOf = (indices: readonly number[]): Row[] => indices.map((i) => rows[i]!);
  const trainRows = rowsOf(split.train);
  const heldOutRows = rowsOf([...split.validation, ...split.test]);
  const testRows = rowsOf(split.test);
  const train = scoreRows(model, predictor, trainRows);
  const heldOut = scoreRows(model, predictor, heldOutRows);
  const test = scoreRows(model, predictor, testRows);

  const intervals = bootstrapIntervals(test.actual.length, (indices) => headlineMetrics(subset(test, indices)), { seed, iterations: options.iterations });
  let minorityRows: number | undefined;
  if (test.task === 'classification') {
    let positives = 0;
    for (const y of test.actual) positives += y;
    minorityRows = Math.min(positives, test.actual.length - positives);
  }
  const membership = membershipAttack(train.loss, heldOut.loss, seed);
  // Single-feature scores need a binary or numeric target; a k-class target's indices have no order.
  const leakage =
    model.encoder.target.kind === 'multiclass'
      ? { threshold: LEAKAGE_THRESHOLD, features: [], flagged: [] }
      : leakageCheck(model.encoder, { rows: trainRows, target: train.actual }, { rows: heldOutRows, target: heldOut.actual });
  const subgroups = subgroupMetrics(test, testRows, options.attributes ?? [], rows);
  const importance = permutationImportance(model, predictor, testRows, test, { seed });

  const warnings: string[] = [];
  if (test.actual.length < SMALL_TEST_ROWS || (minorityRows !== undefined && minorityRows < SMALL_TEST_CLASS_ROWS)) {
    const classes = minorityRows === undefined ? '' : ` (${minorityRows} of the smaller class; fewer than ${SMALL_TEST_CLASS_ROWS} warns)`;
    warnings.push(
      `The test set is small: ${test.actual.length} rows${classes}; metrics from fewer than ${SMALL_TEST_ROWS} rows are rough, read the intervals rather than the point values, and train on more rows.`,
    );
  }
  for (const f of leakage.features.filter((x) => x.flagged)) {
    warnings.push(
      `Feature "${f.feature}" alone nearly predicts the target (${f.statistic === 'auc' ? 'AUC' : '|Spearman ρ|'} ${f.value.toFixed(3)} ≥ ${leakage.threshold}): check it is known before the outcome and is not a copy of it.`,
    );
  }
  const withinLimit = membership.auc <= limit;
  if (!withinLimit) {
    warnings.push(
      `A membership-inference attack tells training rows from held-out rows with AUC ${membership.auc.toFixed(3)}, above the limit ${limit}: the model cannot be promoted or served outside its zone. Train on more rows, with more regularization (a larger l2) or fewer epochs.`,
    );
  }
  return {
    version: ASSESSMENT_VERSION,
    test: { rows: test.actual.length, minorityRows, intervals },
    membership: { ...membership, limit, withinLimit },
    leakage,
    subgroups,
    importance,
    warnings,
  };
}
