import { createRng } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { bootstrapIntervals } from './bootstrap.ts';
import { headlineMetrics } from './metrics.ts';
import { subset, type ScoredRows } from './scored.ts';

/** Hand-made scored rows: a regressor off by unit noise, or a classifier whose score is the label plus noise. */
function regression(n: number, seed = 1): ScoredRows {
  const rng = createRng(seed);
  const actual = Float64Array.from({ length: n }, () => 10 * rng.next());
  const predicted = actual.map((y) => y + rng.normal());
  return { task: 'regression', actual, predicted, loss: actual.map((y, i) => (y - predicted[i]!) ** 2), threshold: 0.5 };
}

function classification(n: number, seed = 2): ScoredRows {
  const rng = createRng(seed);
  const actual = Float64Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
  const predicted = actual.map((y) => 1 / (1 + Math.exp(-(2 * y - 1 + 1.2 * rng.normal()))));
  return { task: 'classification', actual, predicted, loss: new Float64Array(n), threshold: 0.5 };
}

const intervals = (scored: ScoredRows) => bootstrapIntervals(scored.actual.length, (idx) => headlineMetrics(subset(scored, idx)), { seed: 3 });

describe('bootstrapIntervals', () => {
  it('brackets every point estimate, for classifiers and regressors', () => {
    for (const scored of [regression(80), classification(80)]) {
      const result = intervals(scored);
      expect(Object.keys(result).length).toBe(3);
      for (const [name, interval] of Object.entries(result)) {
        expect(interval.low, name).toBeLessThanOrEqual(interval.estimate);
        expect(interval.high, name).toBeGreaterThanOrEqual(interval.estimate);
        expect(interval.level).toBe(0.95);
        expect(interval.resamples).toBe(200);
      }
    }
  });

  it('narrows with more rows (about as 1/√n)', () => {
    for (const make of [regression, classification]) {
      const small = intervals(make(50));
      const large = intervals(make(2000));
      for (const name of Object.keys(small) as Array<keyof typeof small>) {
        const width = (i: (typeof small)[typeof name]) => i.high - i.low;
        expect(width(large[name]), name).toBeLessThan(width(small[name]) / 2);
      }
    }
  });

  it('is repeatable for a seed', () => {
    expect(intervals(regression(60))).toEqual(intervals(regression(60)));
  });

  it('gives no interval when many resamples leave the statistic undefined', () => {
    // One positive in 30 rows: most resamples miss it and have no AUC.
    const actual = Float64Array.from({ length: 30 }, (_, i) => (i === 0 ? 1 : 0));
    const scored: ScoredRows = { task: 'classification', actual, predicted: actual.map((y) => (y ? 0.9 : 0.1)), loss: new Float64Array(30), threshold: 0.5 };
    const auc = intervals(scored).rocAuc!;
    expect(auc.estimate).toBe(1);
    expect(auc.low).toBeNaN();
    expect(auc.resamples).toBeLessThan(180); // about 63% of resamples hold the positive
  });
});
