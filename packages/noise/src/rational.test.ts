import { isAirlockError } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { createRng } from '@airlock/core';
import { rationalAtLeast } from './index.ts';
import { exactRational, integerSqrt, roundUpRational, type Rational } from './rational.ts';

/** a ≥ b exactly. */
const atLeast = (a: Rational, b: Rational): boolean => a.num * b.den >= b.num * a.den;

/**
 * Independent oracle: the smallest of ⌈x·d⌉/d over every d ≤ maxDen, in exact arithmetic. Slow,
 * so only for small maxDen.
 */
function bruteForceAtLeast(x: Rational, maxDen: bigint): Rational {
  let best: Rational | undefined;
  for (let d = 1n; d <= maxDen; d++) {
    const scaled = x.num * d;
    let n = scaled / x.den;
    if (n * x.den < scaled) n += 1n; // ceiling (x > 0 here)
    const candidate = { num: n, den: d };
    if (best === undefined || !atLeast(candidate, best) || (candidate.num * best.den === best.num * candidate.den && d < best.den)) best = candidate;
  }
  return best!;
}

describe('exactRational', () => {
  it('gives the exact value of a double', () => {
    expect(exactRational(0.5)).toEqual({ num: 1n, den: 2n });
    expect(exactRational(3)).toEqual({ num: 3n, den: 1n });
    expect(exactRational(-0.75)).toEqual({ num: -3n, den: 4n });
    expect(exactRational(1e20)).toEqual({ num: 100000000000000000000n, den: 1n });
    // 0.1 is 3602879701896397 / 2^55.
    expect(exactRational(0.1)).toEqual({ num: 3602879701896397n, den: 2n ** 55n });
    expect(exactRational(Number.MIN_VALUE)).toEqual({ num: 1n, den: 2n ** 1074n });
  });
});

describe('rationalAtLeast', () => {
  it('keeps values that are already simple', () => {
    expect(rationalAtLeast(3)).toEqual({ num: 3n, den: 1n });
    expect(rationalAtLeast(0.5)).toEqual({ num: 1n, den: 2n });
    expect(rationalAtLeast(2.25)).toEqual({ num: 9n, den: 4n });
    expect(rationalAtLeast(0)).toEqual({ num: 0n, den: 1n });
  });

  it('rounds up, never down: the double 1/3 is below 1/3, the double 0.1 above 1/10', () => {
    expect(rationalAtLeast(1 / 3)).toEqual({ num: 1n, den: 3n });
    expect(rationalAtLeast(0.1)).toEqual({ num: 100000n, den: 999999n });
    expect(rationalAtLeast(0.1, 10n)).toEqual({ num: 1n, den: 9n });
  });

  it('never returns less than x, and is within 1/maxDen above it, over 5,000 random doubles', () => {
    const rng = createRng('rational-at-least');
    for (let i = 0; i < 5000; i++) {
      const magnitude = 10 ** (rng.next() * 16 - 8);
      const x = (rng.next() < 0.1 ? -1 : 1) * magnitude * rng.next();
      const maxDen = BigInt(1 + rng.int(2_000_000));
      const r = rationalAtLeast(x, maxDen);
      const exact = exactRational(x);
      expect(atLeast(r, exact), `${x} → ${r.num}/${r.den}`).toBe(true);
      expect(r.den <= maxDen && r.den > 0n).toBe(true);
      // r − x < 1/maxDen  ⇔  (r.num·x.den − x.num·r.den)·maxDen < r.den·x.den
      expect((r.num * exact.den - exact.num * r.den) * maxDen < r.den * exact.den).toBe(true);
    }
  });

  it('is the smallest such rational: agrees with a brute-force search for small maxDen', () => {
    const rng = createRng('rational-brute-force');
    for (let i = 0; i < 300; i++) {
      const x = rng.next() * 20;
      const maxDen = BigInt(1 + rng.int(60));
      const r = rationalAtLeast(x, maxDen);
      const expected = bruteForceAtLeast(exactRational(x), maxDen);
      expect(r.num * expected.den).toBe(expected.num * r.den);
    }
  });

  it('rounds exact rationals too (σ² from σ)', () => {
    // (2^-1 + 2^-30)² has denominator 2^60: rounded up to denominator ≤ 1000.
    const s = exactRational(0.5 + 2 ** -30);
    const r = roundUpRational({ num: s.num * s.num, den: s.den * s.den }, 1000n);
    expect(r.num * s.den * s.den >= s.num * s.num * r.den).toBe(true);
    expect(r.den <= 1000n).toBe(true);
  });

  it('refuses non-finite input and maxDen < 1, naming the value', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      expect(() => rationalAtLeast(bad)).toThrow(new RegExp(String(bad)));
    }
    let caught: unknown;
    try {
      rationalAtLeast(1, 0n);
    } catch (error) {
      caught = error;
    }
    expect(isAirlockError(caught, 'BAD_REQUEST')).toBe(true);
    expect((caught as Error).message).toMatch(/maxDen >= 1, got 0/);
  });
});

describe('integerSqrt', () => {
  it('is the floor of the square root, also beyond double precision', () => {
    for (const n of [0n, 1n, 2n, 3n, 4n, 8n, 9n, 10n, 99n, 100n, 101n]) {
      const r = integerSqrt(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
    }
    const big = 10n ** 40n + 12345n;
    const r = integerSqrt(big);
    expect(r).toBe(10n ** 20n);
    const square = (10n ** 20n + 7n) ** 2n;
    expect(integerSqrt(square)).toBe(10n ** 20n + 7n);
    expect(integerSqrt(square - 1n)).toBe(10n ** 20n + 6n);
  });
});
