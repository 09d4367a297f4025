import { rocAuc } from '@airlock/metrics';
import { encode, type EncodedFeature, type Encoder } from '../encoder.ts';
import type { Row } from '../types.ts';

/**
 * A feature that alone nearly predicts the target is flagged: single-feature ROC AUC (either
 * direction) at or above this for classifiers, |Spearman ρ| at or above it for regressors. Real
 * predictors rarely come that close alone; a copy of the outcome or something recorded after it
 * (a discharge code, a billing total) does.
 */
export const LEAKAGE_THRESHOLD = 0.95;

/** One feature's single-feature score. */
export interface FeatureLeakage {
  readonly feature: string;
  /** `auc`: max(AUC, 1 − AUC) of the feature alone (classifiers); `spearman`: |ρ| with the target (regressors). */
  readonly statistic: 'auc' | 'spearman';
  readonly value: number;
  readonly flagged: boolean;
}

/** Result of {@link leakageCheck}. */
export interface LeakageReport {
  readonly threshold: number;
  readonly features: readonly FeatureLeakage[];
  /** Names of the flagged features. */
  readonly flagged: readonly string[];
}

/**
 * Scores each feature alone against the target. A numeric feature is its own score (no fitting, so
 * all rows count); a categorical, boolean or date feature scores each row by the training rows'
 * mean target for its encoded value, fitted on `trainRows` and read on `heldOutRows`, so a
 * many-valued column cannot look predictive by memorizing its training rows.
 * `target` holds the encoded target of the same rows (0/1 or values).
 */
export function leakageCheck(
  encoder: Encoder,
  train: { rows: readonly Row[]; target: ArrayLike<number> },
  heldOut: { rows: readonly Row[]; target: ArrayLike<number> },
): LeakageReport {
  const width = encoder.columns.length;
  const classifier = encoder.target.kind === 'binary';
  const trainMatrix = encode(encoder, train.rows).matrix;
  const heldMatrix = encode(encoder, heldOut.rows).matrix;
  let offset = 0;
  const features: FeatureLeakage[] = [];
  for (const feature of encoder.features) {
    const columns = columnCount(feature);
    const start = offset;
    offset += columns;
    const keyOf = (matrix: Float32Array, r: number): string => Array.from(matrix.subarray(r * width + start, r * width + start + columns)).join(',');
    let scores: Float64Array;
    let target: ArrayLike<number>;
    if (feature.kind === 'numeric') {
      // Standardized value; nulls (encoded 0 with a flag) sit at the mean, as the model sees them.
      const rows = train.rows.length + heldOut.rows.length;
      scores = new Float64Array(rows);
      const all = new Float64Array(rows);
      for (let r = 0; r < train.rows.length; r++) {
        scores[r] = trainMatrix[r * width + start]!;
        all[r] = train.target[r]!;
      }
      for (let r = 0; r < heldOut.rows.length; r++) {
        scores[train.rows.length + r] = heldMatrix[r * width + start]!;
        all[train.rows.length + r] = heldOut.target[r]!;
      }
      target = all;
    } else {
      const sums = new Map<string, { sum: number; n: number }>();
      let total = 0;
      for (let r = 0; r < train.rows.length; r++) {
        const key = keyOf(trainMatrix, r);
        const entry = sums.get(key) ?? { sum: 0, n: 0 };
        entry.sum += train.target[r]!;
        entry.n++;
        sums.set(key, entry);
        total += train.target[r]!;
      }
      const overall = train.rows.length > 0 ? total / train.rows.length : 0;
      scores = Float64Array.from({ length: heldOut.rows.length }, (_, r) => {
        const entry = sums.get(keyOf(heldMatrix, r));
        return entry ? entry.sum / entry.n : overall;
      });
      target = heldOut.target;
    }
    const value = classifier ? twoSidedAuc(target, scores) : Math.abs(spearman(target, scores));
    features.push({ feature: feature.name, statistic: classifier ? 'auc' : 'spearman', value, flagged: value >= LEAKAGE_THRESHOLD });
  }
  return { threshold: LEAKAGE_THRESHOLD, features, flagged: features.filter((f) => f.flagged).map((f) => f.feature) };
}

/** Encoded columns of a feature, as the encoder lays them out (see EncodedFeature). */
function columnCount(feature: EncodedFeature): number {
  switch (feature.kind) {
    case 'numeric':
    case 'boolean':
      return 2;
    case 'categorical':
      return feature.categories.length + 1;
    case 'date':
      return 4;
  }
}

function twoSidedAuc(labels: ArrayLike<number>, scores: Float64Array): number {
  if (scores.length === 0) return Number.NaN;
  const auc = rocAuc(labels, scores);
  return Math.max(auc, 1 - auc);
}

/** Spearman's ρ: Pearson's r of average ranks. NaN when either side is constant. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const rx = ranks(x);
  const ry = ranks(y);
  const n = rx.length;
  if (n < 2) return Number.NaN;
  const mean = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i]! - mean) * (ry[i]! - mean);
    sxx += (rx[i]! - mean) ** 2;
    syy += (ry[i]! - mean) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

function ranks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const out = new Float64Array(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    for (let k = start; k < end; k++) out[order[k]!] = (start + 1 + end) / 2;
    start = end;
  }
  return out;
}
