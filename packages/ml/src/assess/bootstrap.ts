import { createRng } from '@airlock/core';

/** A point estimate with a percentile bootstrap interval. */
export interface Interval {
  readonly estimate: number;
  /** Lower and upper percentile bounds; NaN when too few resamples had a defined value. */
  readonly low: number;
  readonly high: number;
  /** Confidence level of [low, high], e.g. 0.95. */
  readonly level: number;
  /** Resamples whose statistic was defined (an AUC needs both classes in the resample). */
  readonly resamples: number;
}

/** Options of {@link bootstrapIntervals}. */
export interface BootstrapOptions {
  /** Resamples (default 200: enough for a 95% percentile interval to two decimals on the metrics here). */
  readonly iterations?: number | undefined;
  /** Seed of the resampling (default 0), so a card can be reproduced exactly. */
  readonly seed?: number | string | undefined;
  /** Confidence level (default 0.95). */
  readonly level?: number | undefined;
}

const MIN_DEFINED_SHARE = 0.9;

/** Default bootstrap resamples. */
export const DEFAULT_BOOTSTRAP_ITERATIONS = 200;

/**
 * Percentile bootstrap intervals (Efron & Tibshirani, "An Introduction to the Bootstrap", 1993,
 * ch. 13) for every statistic `compute` returns. `compute` receives row indices: all rows once (the
 * point estimate), then `iterations` resamples of n indices drawn with replacement. A statistic
 * that is NaN on a resample is left out of that statistic's interval; when more than a tenth of the
 * resamples leave it undefined (an AUC with a handful of one class) its bounds are NaN rather than
 * an interval drawn from the draws that happened to hold both classes.
 */
export function bootstrapIntervals<K extends string>(
  n: number,
  compute: (indices: Uint32Array) => Partial<Record<K, number>>,
  options: BootstrapOptions = {},
): Record<K, Interval> {
  const iterations = options.iterations ?? DEFAULT_BOOTSTRAP_ITERATIONS;
  const level = options.level ?? 0.95;
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  const point = compute(all);
  const keys = Object.keys(point) as K[];
  const draws = new Map<K, number[]>(keys.map((k) => [k, []]));
  const rng = createRng(`${String(options.seed ?? 0)}/bootstrap`);
  const indices = new Uint32Array(n);
  for (let b = 0; b < iterations; b++) {
    for (let i = 0; i < n; i++) indices[i] = rng.int(n);
    const values = compute(indices);
    for (const k of keys) {
      const v = values[k];
      if (v !== undefined && Number.isFinite(v)) draws.get(k)!.push(v);
    }
  }
  const out = {} as Record<K, Interval>;
  for (const k of keys) {
    const sorted = draws.get(k)!.sort((a, b) => a - b);
    const enough = sorted.length >= MIN_DEFINED_SHARE * iterations && sorted.length > 0;
    out[k] = {
      estimate: point[k]!,
      low: enough ? quantile(sorted, (1 - level) / 2) : Number.NaN,
      high: enough ? quantile(sorted, 1 - (1 - level) / 2) : Number.NaN,
      level,
      resamples: sorted.length,
    };
  }
  return out;
}

/** Linear interpolation between order statistics (type 7, the default of R and NumPy). */
function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}
