import { isAirlockError } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import {
  discreteGaussianHalfWidth,
  discreteGaussianPmf,
  discreteGaussianVariance,
  discreteLaplaceHalfWidth,
  discreteLaplacePmf,
  discreteLaplaceVariance,
} from './index.ts';
import { erfc } from './distributions.ts';

/** The oracle for half-widths: P(|X| ≤ h) summed from the pmf, smallest terms first. */
function coverage(pmf: (x: number) => number, h: number): number {
  let sum = 0;
  for (let x = h; x >= 1; x--) sum += 2 * pmf(x);
  return sum + pmf(0);
}

/** Σ over all integers of the pmf, out to where the terms vanish. */
function total(pmf: (x: number) => number, reach: number): number {
  let sum = 0;
  for (let x = reach; x >= 1; x--) sum += 2 * pmf(x);
  return sum + pmf(0);
}

describe('pmfs', () => {
  it('sum to 1 within 1e-12', () => {
    for (const t of [0.1, 0.5, 1, 3, 20, 100]) expect(Math.abs(total((x) => discreteLaplacePmf(x, t), Math.ceil(60 * t) + 10) - 1)).toBeLessThan(1e-12);
    for (const s of [0.1, 0.5, 0.9, 1, 1.1, 3, 20, 1000]) expect(Math.abs(total((x) => discreteGaussianPmf(x, s), Math.ceil(15 * s) + 10) - 1)).toBeLessThan(1e-12);
  });

  it('discrete Gaussian: the normaliser equals the directly summed series (the Poisson dual is used from σ = 1)', () => {
    for (const s of [1, 1.5, 3, 20]) {
      let z = 0;
      for (let x = -Math.ceil(15 * s); x <= Math.ceil(15 * s); x++) z += Math.exp(-(x * x) / (2 * s * s));
      expect(Math.abs(discreteGaussianPmf(0, s) * z - 1)).toBeLessThan(1e-13);
    }
  });

  it('is 0 off the integers and symmetric', () => {
    expect(discreteLaplacePmf(0.5, 3)).toBe(0);
    expect(discreteGaussianPmf(1.5, 3)).toBe(0);
    expect(discreteLaplacePmf(-4, 3)).toBe(discreteLaplacePmf(4, 3));
    expect(discreteGaussianPmf(-4, 3)).toBe(discreteGaussianPmf(4, 3));
  });

  it('variances equal the summed second moments', () => {
    for (const t of [0.5, 3, 20]) {
      let m2 = 0;
      for (let x = Math.ceil(80 * t) + 10; x >= 1; x--) m2 += 2 * x * x * discreteLaplacePmf(x, t);
      expect(discreteLaplaceVariance(t) / m2).toBeCloseTo(1, 11);
    }
    for (const s of [0.3, 0.5, 0.99, 1, 2, 3, 20]) {
      let m2 = 0;
      for (let x = Math.ceil(15 * s) + 10; x >= 1; x--) m2 += 2 * x * x * discreteGaussianPmf(x, s);
      expect(discreteGaussianVariance(s) / m2).toBeCloseTo(1, 11);
    }
    // Known values: the discrete Gaussian is narrower than σ² for small σ, equal for large.
    expect(discreteGaussianVariance(0.5)).toBeCloseTo(0.21501, 5);
    expect(discreteGaussianVariance(3)).toBeCloseTo(9, 12);
  });
});

describe('half-widths', () => {
  const confidences = [0.5, 0.8, 0.9, 0.95, 0.99, 0.999];

  it('discrete Laplace: the smallest h whose coverage is ≥ confidence (coverage summed from the pmf)', () => {
    for (const t of [0.3, 0.5, 1, 3, 10, 100, 1000]) {
      for (const c of confidences) {
        const h = discreteLaplaceHalfWidth(t, c);
        const pmf = (x: number): number => discreteLaplacePmf(x, t);
        expect(coverage(pmf, h), `t=${t} c=${c} h=${h}`).toBeGreaterThanOrEqual(c);
        if (h > 0) expect(coverage(pmf, h - 1), `t=${t} c=${c} h=${h}`).toBeLessThan(c);
      }
    }
  });

  it('discrete Laplace: within 1 of the approximation t·ln(1/(1−c)) for t ≥ 3, far from it for small t', () => {
    for (const t of [3, 10, 100, 1000, 1e6]) {
      for (const c of confidences) {
        expect(Math.abs(discreteLaplaceHalfWidth(t, c) - t * Math.log(1 / (1 - c)))).toBeLessThanOrEqual(1);
      }
    }
    // PRIVACY.md's rule of thumb: ε = 1, Δ = 1 → ±3 at 95%; ε = 0.1 → ±30.
    expect(discreteLaplaceHalfWidth(1, 0.95)).toBe(3);
    expect(discreteLaplaceHalfWidth(10, 0.95)).toBe(30);
    // At scale 0.3, 95% of draws are already 0 or ±1 while the approximation says 0.9.
    expect(discreteLaplaceHalfWidth(0.3, 0.95)).toBe(1);
    expect(discreteLaplaceHalfWidth(0.1, 0.95)).toBe(0);
  });

  it('discrete Gaussian: the smallest h whose coverage is ≥ confidence, in both regimes (σ ≤ 1000 summed, above by Euler–Maclaurin)', () => {
    for (const s of [0.3, 0.5, 1, 3, 20, 999, 1001, 2500]) {
      for (const c of confidences) {
        const h = discreteGaussianHalfWidth(s, c);
        const pmf = (x: number): number => discreteGaussianPmf(x, s);
        expect(coverage(pmf, h), `σ=${s} c=${c} h=${h}`).toBeGreaterThanOrEqual(c);
        if (h > 0) expect(coverage(pmf, h - 1), `σ=${s} c=${c} h=${h}`).toBeLessThan(c);
      }
    }
  });

  it('discrete Gaussian: about z·σ for large σ (1.96σ at 95%)', () => {
    expect(discreteGaussianHalfWidth(3, 0.95)).toBe(6);
    expect(discreteGaussianHalfWidth(100, 0.95)).toBe(196);
    expect(Math.abs(discreteGaussianHalfWidth(1e6, 0.95) - 1.959964e6)).toBeLessThan(2);
    expect(Math.abs(discreteGaussianHalfWidth(1e12, 0.95) / 1e12 - 1.959963984540054)).toBeLessThan(1e-9);
  });

  it('refuses a confidence outside (0, 1) and a bad scale, naming the value', () => {
    for (const bad of [0, 1, 1.5, -0.1, Number.NaN]) {
      let caught: unknown;
      try {
        discreteLaplaceHalfWidth(3, bad);
      } catch (error) {
        caught = error;
      }
      expect(isAirlockError(caught, 'BAD_REQUEST')).toBe(true);
      expect((caught as Error).message).toContain(`got ${String(bad)}`);
    }
    expect(() => discreteGaussianHalfWidth(0, 0.95)).toThrow(/sigma must be a finite number > 0, got 0/);
    expect(() => discreteLaplacePmf(0, -2)).toThrow(/scale must be a finite number > 0, got -2/);
  });
});

describe('erfc', () => {
  it('matches tabulated values to about 1e-14 relative', () => {
    const table: Array<[number, number]> = [
      [0, 1],
      [0.1, 0.887537083981715],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [3, 2.209049699858544e-5],
      [6, 2.151973671249892e-17],
      [-1, 1.8427007929497148],
    ];
    for (const [z, expected] of table) expect(Math.abs(erfc(z) / expected - 1), `erfc(${z})`).toBeLessThan(5e-14);
  });
});
