import { createRng } from '@airlock/core';
import type { Row } from '../types.ts';
import { scoreRows, type ScoredRows } from './scored.ts';
import type { SerializedModel } from '../model.ts';
import type { Predictor } from '../predict.ts';

/** One feature's permutation importance. */
export interface FeatureImportance {
  readonly feature: string;
  /**
   * Mean increase of the per-row loss (cross-entropy or squared error) when the feature's values
   * are shuffled across the test rows; ≤ 0 means the model does not rely on it.
   */
  readonly importance: number;
  /** 1 for the feature whose shuffling hurts most. */
  readonly rank: number;
}

/** Default shuffles per feature, averaged. */
export const DEFAULT_PERMUTATION_REPEATS = 5;

/**
 * Permutation feature importance (Breiman, "Random Forests", Machine Learning 45, 2001; the
 * model-agnostic form of Fisher, Rudin & Dominici, JMLR 20, 2019) on the test rows: each feature's
 * column is shuffled (seeded) `repeats` times, the rows re-scored with the served prediction path,
 * and the mean loss increase over the unshuffled score reported. Sorted by importance.
 */
export function permutationImportance(
  model: SerializedModel,
  predictor: Predictor,
  rows: readonly Row[],
  baseline: ScoredRows,
  options: { seed?: number | string | undefined; repeats?: number | undefined } = {},
): FeatureImportance[] {
  const repeats = options.repeats ?? DEFAULT_PERMUTATION_REPEATS;
  const base = mean(baseline.loss);
  const rng = createRng(`${String(options.seed ?? 0)}/importance`);
  const out = predictor.features.map(({ name }) => {
    let increase = 0;
    for (let r = 0; r < repeats; r++) {
      const values = rng.shuffle(rows.map((row) => row[name]));
      const shuffled = rows.map((row, i) => ({ ...row, [name]: values[i] }));
      increase += mean(scoreRows(model, predictor, shuffled).loss) - base;
    }
    return { feature: name, importance: increase / repeats };
  });
  return out.sort((a, b) => b.importance - a.importance).map((f, i) => ({ ...f, rank: i + 1 }));
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length > 0 ? sum / values.length : Number.NaN;
}
