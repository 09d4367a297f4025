import { createRng } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { mcnemarTest, pairedBootstrapAuc, rocAuc, welchTTest } from './index.ts';

describe('welchTTest', () => {
  it('x = 1..5 vs y = 2, 4, 6, 8, 10: t = −1.8974, df = 5.882, p = 0.1075', () => {
    // x̄ = 3, s²ₓ = 2.5; ȳ = 6, s²ᵧ = 10. SE² = 2.5/5 + 10/5 = 2.5, t = −3/√2.5 = −1.897367.
    // df = 2.5² / (0.5²/4 + 2²/4) = 6.25 / 1.0625 = 5.882353.
    const { t, df, p } = welchTTest([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]);
    expect(t).toBeCloseTo(-1.8974, 4);
    expect(df).toBeCloseTo(5.882, 3);
    expect(p).toBeCloseTo(0.1075, 4);
  });

  it('is antisymmetric in its arguments', () => {
    const forward = welchTTest([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]);
    const backward = welchTTest([2, 4, 6, 8, 10], [1, 2, 3, 4, 5]);
    expect(backward.t).toBeCloseTo(-forward.t, 12);
    expect(backward.p).toBeCloseTo(forward.p, 12);
  });

  it('constant samples: infinite t and p = 0 if the means differ, NaN if not', () => {
    expect(welchTTest([1, 1], [2, 2])).toEqual({ t: -Infinity, df: NaN, p: 0 });
    expect(welchTTest([1, 1], [1, 1])).toEqual({ t: NaN, df: NaN, p: NaN });
  });

  it('needs two values per sample and no NaN', () => {
    expect(() => welchTTest([1], [1, 2])).toThrow(/x has 1 values/);
    expect(() => welchTTest([1, 2], [1, NaN])).toThrow(/y\[1\] is NaN/);
  });
});

/** Rows where A alone is right `b` times, B alone is right `c` times, both right `both` times. */
function discordant(b: number, c: number, both = 5): { labels: number[]; predA: number[]; predB: number[] } {
  const labels: number[] = [];
  const predA: number[] = [];
  const predB: number[] = [];
  const push = (label: number, a: number, bValue: number, times: number): void => {
    for (let i = 0; i < times; i++) {
      labels.push(label);
      predA.push(a);
      predB.push(bValue);
    }
  };
  push(1, 1, 0, b);
  push(0, 1, 0, c); // label 0: A wrong (1), B right (0)
  push(1, 1, 1, both);
  push(0, 1, 1, 3); // both wrong: concordant, ignored
  return { labels, predA, predB };
}

describe('mcnemarTest', () => {
  it('exact binomial for b = 10, c = 2: p = 0.0386', () => {
    // n = 12, min(b, c) = 2: P(X ≤ 2) = (C(12,0) + C(12,1) + C(12,2)) / 2¹² = (1 + 12 + 66)/4096
    // = 79/4096; two-sided p = 2·79/4096 = 0.038574.
    const { labels, predA, predB } = discordant(10, 2);
    const result = mcnemarTest(labels, predA, predB);
    expect(result).toMatchObject({ b: 10, c: 2, statistic: 2, exact: true });
    expect(result.p).toBeCloseTo(158 / 4096, 12);
    expect(result.p).toBeCloseTo(0.0386, 4);
  });

  it('chi-square with continuity correction for b = 30, c = 12: statistic 6.881, p = 0.00871', () => {
    // (|30 − 12| − 1)² / 42 = 289/42 = 6.880952; P(χ²₁ > 6.880952) = 0.008712.
    const { labels, predA, predB } = discordant(30, 12);
    const result = mcnemarTest(labels, predA, predB);
    expect(result).toMatchObject({ b: 30, c: 12, exact: false });
    expect(result.statistic).toBeCloseTo(289 / 42, 12);
    expect(result.p).toBeCloseTo(0.00871, 5);
  });

  it('switches to chi-square at b + c = 25', () => {
    // (|20 − 5| − 1)² / 25 = 7.84; P(χ²₁ > 7.84) = 0.005110.
    const { labels, predA, predB } = discordant(20, 5);
    const result = mcnemarTest(labels, predA, predB);
    expect(result.exact).toBe(false);
    expect(result.statistic).toBeCloseTo(7.84, 12);
    expect(result.p).toBeCloseTo(0.00511, 5);
    expect(mcnemarTest(...args(discordant(19, 5))).exact).toBe(true);
  });

  it('gives p = 1 without evidence', () => {
    expect(mcnemarTest(...args(discordant(0, 0)))).toEqual({ b: 0, c: 0, statistic: 0, p: 1, exact: true });
    expect(mcnemarTest(...args(discordant(12, 12))).p).toBe(1);
    expect(mcnemarTest(...args(discordant(13, 13)))).toMatchObject({ statistic: 0, p: 1, exact: false });
  });

  it('checks its inputs', () => {
    expect(() => mcnemarTest([1, 0], [1, 0], [1])).toThrow(/labels has 2 values but predB has 1/);
    expect(() => mcnemarTest([1, 0], [1, 0.5], [1, 0])).toThrow(/predA\[1\]/);
  });
});

function args(rows: { labels: number[]; predA: number[]; predB: number[] }): [number[], number[], number[]] {
  return [rows.labels, rows.predA, rows.predB];
}

describe('pairedBootstrapAuc', () => {
  // 200 rows: model A separates the classes well (AUC ≈ 0.92), model B is noise (AUC ≈ 0.5).
  const rng = createRng('bootstrap-fixture');
  const labels = Array.from({ length: 200 }, () => (rng.next() < 0.4 ? 1 : 0));
  const good = labels.map((y) => 2 * y + rng.normal());
  const noise = labels.map(() => rng.normal());

  it('same seed, same result; the AUCs are those of rocAuc', () => {
    const first = pairedBootstrapAuc(labels, good, noise, { iterations: 500, seed: 42 });
    const second = pairedBootstrapAuc(labels, good, noise, { iterations: 500, seed: 42 });
    expect(second).toEqual(first);
    expect(first.aucA).toBeCloseTo(rocAuc(labels, good), 12);
    expect(first.aucB).toBeCloseTo(rocAuc(labels, noise), 12);
    expect(first.difference).toBeCloseTo(first.aucA - first.aucB, 12);
    const other = pairedBootstrapAuc(labels, good, noise, { iterations: 500, seed: 43 });
    expect(other.ci95).not.toEqual(first.ci95);
  });

  it('identical scores: difference 0, interval [0, 0], p = 1', () => {
    const result = pairedBootstrapAuc(labels, good, good, { iterations: 300, seed: 1 });
    expect(result.difference).toBe(0);
    expect(result.ci95).toEqual([0, 0]);
    expect(result.p).toBe(1);
  });

  it('a clearly better model: p < 0.05 and an interval above 0', () => {
    const result = pairedBootstrapAuc(labels, good, noise, { seed: 7 });
    expect(result.aucA).toBeGreaterThan(0.85);
    expect(result.p).toBeLessThan(0.05);
    // Every resample favoured A, so p is the smallest the 2000 default iterations allow.
    expect(result.p).toBeCloseTo(2 / 2001, 12);
    expect(result.ci95[0]).toBeGreaterThan(0);
    expect(result.ci95[0]).toBeLessThanOrEqual(result.difference);
    expect(result.ci95[1]).toBeGreaterThanOrEqual(result.difference);
    // Swapping the models mirrors the interval.
    const swapped = pairedBootstrapAuc(labels, noise, good, { seed: 7 });
    expect(swapped.difference).toBeCloseTo(-result.difference, 12);
    expect(swapped.p).toBe(result.p);
  });

  it('one class only: every number is NaN', () => {
    const result = pairedBootstrapAuc([1, 1, 1], [0.1, 0.2, 0.3], [0.3, 0.2, 0.1]);
    expect(result).toEqual({ aucA: NaN, aucB: NaN, difference: NaN, ci95: [NaN, NaN], p: NaN });
  });

  it('checks its inputs', () => {
    expect(() => pairedBootstrapAuc([1, 0], [1, 0], [1, 0, 1])).toThrow(/labels has 2 values but scoresB has 3/);
    expect(() => pairedBootstrapAuc([1, 0], [1, NaN], [1, 0])).toThrow(/scoresA\[1\] is NaN/);
    expect(() => pairedBootstrapAuc([1, 0], [1, 0], [1, 0], { iterations: 0 })).toThrow(/iterations/);
  });
});
