import { describe, expect, it } from 'vitest';
import { chiSquareCdf, normalCdf, studentTCdf } from './index.ts';
import { logGamma, regularizedBeta, regularizedGammaP } from './distributions.ts';

describe('special functions', () => {
  it('logGamma: Γ(½) = √π, Γ(10) = 9!, Γ(1) = Γ(2) = 1', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(2)).toBeCloseTo(0, 14);
    // Γ(0.1) = 9.513507698668732 (A&S table 6.1 gives Γ(1.1) = 0.9513507699; Γ(x) = Γ(x+1)/x).
    expect(Math.exp(logGamma(0.1))).toBeCloseTo(9.513507698668732, 11);
  });

  it('regularizedBeta: closed forms I_x(1, 1) = x and I_x(a, 1) = xᵃ, and symmetry', () => {
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(regularizedBeta(0.7, 3.5, 1)).toBeCloseTo(0.7 ** 3.5, 14);
    expect(regularizedBeta(0.4, 2.5, 7)).toBeCloseTo(1 - regularizedBeta(0.6, 7, 2.5), 14);
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
  });

  it('regularizedGammaP: P(1, x) = 1 − e^(−x) on both sides of the series/fraction switch', () => {
    expect(regularizedGammaP(1, 0.5)).toBeCloseTo(1 - Math.exp(-0.5), 14);
    expect(regularizedGammaP(1, 5)).toBeCloseTo(1 - Math.exp(-5), 14);
  });
});

describe('normalCdf', () => {
  it('matches standard normal table values', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 4);
    expect(normalCdf(-1.96)).toBeCloseTo(0.025, 4);
    expect(normalCdf(1)).toBeCloseTo(0.8413447461, 10);
    expect(normalCdf(1.645)).toBeCloseTo(0.95, 3);
  });

  it('keeps relative precision deep in the lower tail: Φ(−10) = 7.6198530241605e−24', () => {
    expect(normalCdf(-10) / 7.6198530241605e-24).toBeCloseTo(1, 10);
  });

  it('infinities and NaN', () => {
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(NaN)).toBeNaN();
  });
});

describe('studentTCdf', () => {
  it('matches t-table critical values', () => {
    expect(studentTCdf(2.228, 10)).toBeCloseTo(0.975, 4);
    expect(studentTCdf(1.812, 10)).toBeCloseTo(0.95, 4);
    expect(studentTCdf(12.706, 1)).toBeCloseTo(0.975, 4);
    expect(studentTCdf(2.042, 30)).toBeCloseTo(0.975, 4);
  });

  it('matches closed forms for df = 1 (Cauchy) and df = 2', () => {
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 14);
    expect(studentTCdf(-3, 1)).toBeCloseTo(0.5 + Math.atan(-3) / Math.PI, 14);
    const t = 1.7;
    expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 14);
  });

  it('is symmetric, ½ at 0, and the normal at df = ∞', () => {
    expect(studentTCdf(0, 3.3)).toBe(0.5);
    expect(studentTCdf(-1.3, 5.5) + studentTCdf(1.3, 5.5)).toBeCloseTo(1, 14);
    expect(studentTCdf(1.96, Infinity)).toBe(normalCdf(1.96));
    expect(studentTCdf(1.96, 1e6)).toBeCloseTo(normalCdf(1.96), 6);
    expect(studentTCdf(Infinity, 4)).toBe(1);
    expect(studentTCdf(-Infinity, 4)).toBe(0);
  });

  it('rejects df ≤ 0 and propagates NaN', () => {
    expect(() => studentTCdf(1, 0)).toThrow(RangeError);
    expect(studentTCdf(NaN, 3)).toBeNaN();
  });
});

describe('chiSquareCdf', () => {
  it('matches chi-square table critical values', () => {
    expect(chiSquareCdf(3.841, 1)).toBeCloseTo(0.95, 4);
    expect(chiSquareCdf(5.991, 2)).toBeCloseTo(0.95, 4);
    expect(chiSquareCdf(18.307, 10)).toBeCloseTo(0.95, 4);
    expect(chiSquareCdf(6.635, 1)).toBeCloseTo(0.99, 4);
  });

  it('df = 2 is the exponential with mean 2', () => {
    expect(chiSquareCdf(3, 2)).toBeCloseTo(1 - Math.exp(-1.5), 14);
  });

  it('is 0 at and below 0, rejects df ≤ 0', () => {
    expect(chiSquareCdf(0, 3)).toBe(0);
    expect(chiSquareCdf(-1, 3)).toBe(0);
    expect(() => chiSquareCdf(1, -2)).toThrow(RangeError);
  });
});
