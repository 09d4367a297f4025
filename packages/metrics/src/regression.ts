import { assertNoNaN, assertNonEmpty, assertSameLength } from './validate.ts';

/** Error summary of numeric predictions, see {@link regressionReport}. */
export interface RegressionReport {
  /** Mean absolute error, (1/n)·Σ|yᵢ − ŷᵢ|, in the units of the target. */
  mae: number;
  /** Root mean squared error, √((1/n)·Σ(yᵢ − ŷᵢ)²), in the units of the target. */
  rmse: number;
  /** Coefficient of determination 1 − SS_res/SS_tot; NaN when `actual` is constant (SS_tot = 0). */
  r2: number;
  /** Number of rows. */
  n: number;
}

/**
 * MAE, RMSE and R² of `predicted` against `actual`.
 *
 * R² = 1 − Σ(yᵢ − ŷᵢ)² / Σ(yᵢ − ȳ)² (the "fraction of variance explained"; it can be negative when
 * the predictions are worse than predicting the mean). When `actual` is constant the denominator is
 * 0 and R² is NaN (scikit-learn reports 1 or 0 there instead). Reference: Kvålseth, "Cautionary
 * note about R²", The American Statistician 39 (1985), definition R²₁.
 * Throws RangeError on mismatched lengths, empty input, or NaN (naming its index).
 */
export function regressionReport(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionReport {
  assertSameLength('regressionReport', 'actual', actual, 'predicted', predicted);
  assertNonEmpty('regressionReport', 'actual', actual);
  assertNoNaN('regressionReport', 'actual', actual);
  assertNoNaN('regressionReport', 'predicted', predicted);
  const n = actual.length;
  const mean = meanOf(actual);
  let absolute = 0;
  let squared = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const error = actual[i]! - predicted[i]!;
    absolute += Math.abs(error);
    squared += error * error;
    const deviation = actual[i]! - mean;
    total += deviation * deviation;
  }
  return {
    mae: absolute / n,
    rmse: Math.sqrt(squared / n),
    r2: total === 0 ? NaN : 1 - squared / total,
    n,
  };
}

/**
 * Pearson's product-moment correlation coefficient
 * r = Σ(xᵢ − x̄)(yᵢ − ȳ) / √(Σ(xᵢ − x̄)² · Σ(yᵢ − ȳ)²), in [−1, 1] (computed in two passes, about the
 * means, to avoid the cancellation of the one-pass formula).
 * NaN when either series is constant, including a single pair.
 * Reference: K. Pearson, Proc. R. Soc. Lond. 58 (1895).
 * Throws RangeError on mismatched lengths, empty input, or NaN (naming its index).
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  assertSameLength('pearson', 'x', x, 'y', y);
  assertNonEmpty('pearson', 'x', x);
  assertNoNaN('pearson', 'x', x);
  assertNoNaN('pearson', 'y', y);
  const meanX = meanOf(x);
  const meanY = meanOf(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i]! - meanX;
    const dy = y[i]! - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  // Rounding can push |r| a hair past 1 for perfectly collinear data.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Arithmetic mean of a non-empty array. */
export function meanOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}
