import { describe, expect, it } from 'vitest';
import { pearson, regressionReport } from './index.ts';

describe('regressionReport', () => {
  it('matches the hand computation (the example in scikit-learn’s metric docs)', () => {
    // actual [3, −0.5, 2, 7], predicted [2.5, 0, 2, 8]; errors 0.5, −0.5, 0, −1.
    // MAE  = (0.5 + 0.5 + 0 + 1) / 4 = 0.5
    // MSE  = (0.25 + 0.25 + 0 + 1) / 4 = 0.375, RMSE = √0.375 = 0.612372…
    // mean = 11.5 / 4 = 2.875; SS_tot = 0.125² + 3.375² + 0.875² + 4.125² = 29.1875
    // R²   = 1 − 1.5 / 29.1875 = 0.948608… (scikit-learn documents r2_score = 0.948…)
    const report = regressionReport([3, -0.5, 2, 7], [2.5, 0, 2, 8]);
    expect(report.n).toBe(4);
    expect(report.mae).toBeCloseTo(0.5, 12);
    expect(report.rmse).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(report.r2).toBeCloseTo(1 - 1.5 / 29.1875, 12);
    expect(report.r2).toBeCloseTo(0.948608, 6);
  });

  it('perfect predictions: zero error, R² = 1', () => {
    expect(regressionReport([1, 2, 3], [1, 2, 3])).toEqual({ mae: 0, rmse: 0, r2: 1, n: 3 });
  });

  it('R² is negative when worse than predicting the mean', () => {
    // mean 2, SS_tot = 2; predicting [3, 2, 1] gives SS_res = 8, so R² = 1 − 8/2 = −3.
    expect(regressionReport([1, 2, 3], [3, 2, 1]).r2).toBeCloseTo(-3, 12);
  });

  it('R² is NaN for a constant target', () => {
    const report = regressionReport([5, 5, 5], [5, 6, 4]);
    expect(report.r2).toBeNaN();
    expect(report.mae).toBeCloseTo(2 / 3, 12);
  });

  it('checks its inputs', () => {
    expect(() => regressionReport([1, 2], [1])).toThrow(/actual has 2 values but predicted has 1/);
    expect(() => regressionReport([1, 2], [1, NaN])).toThrow(/predicted\[1\] is NaN/);
    expect(() => regressionReport([], [])).toThrow(/empty/);
  });
});

describe('pearson', () => {
  it('matches the hand computation', () => {
    // x̄ = 3, ȳ = 4; dx = −2 −1 0 1 2, dy = −2 0 1 0 1
    // Σdxdy = 4 + 0 + 0 + 0 + 2 = 6, Σdx² = 10, Σdy² = 6; r = 6/√60 = 0.774597
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(6 / Math.sqrt(60), 12);
  });

  it('is exactly ±1 for exact lines and NaN for a constant series', () => {
    expect(pearson([1, 2, 3], [10, 20, 30])).toBe(1);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBe(-1);
    expect(pearson([1, 2, 3], [7, 7, 7])).toBeNaN();
    expect(pearson([1], [2])).toBeNaN();
  });

  it('checks its inputs', () => {
    expect(() => pearson([1, 2, 3], [1, 2])).toThrow(/x has 3 values but y has 2/);
    expect(() => pearson([NaN, 1], [1, 2])).toThrow(/x\[0\] is NaN/);
  });
});
