import { describe, expect, it } from 'vitest';
import { NULL_CATEGORY, categoricalPsi, ksStatistic, populationStabilityIndex, psiLevel } from './index.ts';

describe('populationStabilityIndex', () => {
  const expected = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('matches the hand computation on a shifted sample', () => {
    // 5 bins from expected = 1..10: cut points are the values of rank ceil(i·10/5) = 2, 4, 6, 8,
    // so bins (−∞, 2], (2, 4], (4, 6], (6, 8], (8, ∞) each hold 2 of 10 expected values (0.2).
    // actual = [1, 1, 1, 2, 3, 5, 7, 9, 10, 10] puts 4, 1, 1, 1, 3 values in them: 0.4, 0.1, 0.1, 0.1, 0.3.
    // PSI = (0.4 − 0.2)·ln(0.4/0.2) + 3·(0.1 − 0.2)·ln(0.1/0.2) + (0.3 − 0.2)·ln(0.3/0.2)
    //     = 0.2·ln 2 + 0.3·ln 2 + 0.1·ln 1.5 = 0.5·ln 2 + 0.1·ln 1.5 = 0.387120
    const result = populationStabilityIndex(expected, [1, 1, 1, 2, 3, 5, 7, 9, 10, 10], { bins: 5 });
    expect(result.psi).toBeCloseTo(0.5 * Math.log(2) + 0.1 * Math.log(1.5), 12);
    expect(result.psi).toBeCloseTo(0.38712, 5);
    expect(result.bins.map((b) => [b.lower, b.upper])).toEqual([
      [-Infinity, 2],
      [2, 4],
      [4, 6],
      [6, 8],
      [8, Infinity],
    ]);
    expect(result.bins.map((b) => b.expectedShare)).toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
    expect(result.bins.map((b) => b.actualShare)).toEqual([0.4, 0.1, 0.1, 0.1, 0.3]);
    expect(result.bins[0]!.contribution).toBeCloseTo(0.2 * Math.log(2), 12);
    expect(psiLevel(result.psi)).toBe('act');
  });

  it('is 0 for the same distribution, with 10 bins by default', () => {
    const result = populationStabilityIndex(expected, [...expected].reverse());
    expect(result.psi).toBe(0);
    expect(result.bins).toHaveLength(10);
  });

  it('floors empty shares at epsilon', () => {
    // actual all 1: shares 1, 0, 0, 0, 0 against 0.2 each. With ε = 1e−4:
    // (1 − 0.2)·ln(1/0.2) + 4·(1e−4 − 0.2)·ln(1e−4/0.2) = 0.8·ln 5 + 4·0.1999·ln 2000 = 7.36523
    const result = populationStabilityIndex(expected, new Array(10).fill(1), { bins: 5 });
    expect(result.psi).toBeCloseTo(0.8 * Math.log(5) + 4 * 0.1999 * Math.log(2000), 10);
    const looser = populationStabilityIndex(expected, new Array(10).fill(1), { bins: 5, epsilon: 0.01 });
    expect(looser.psi).toBeCloseTo(0.8 * Math.log(5) + 4 * 0.19 * Math.log(20), 10);
  });

  it('merges cut points on ties and flags mass above the reference maximum', () => {
    // expected = seven 0s, three 1s: cut points for 10 bins are 0 (×7) and 1 (×2), merged to 0 and 1.
    const tied = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1];
    const same = populationStabilityIndex(tied, tied);
    expect(same.bins.map((b) => [b.lower, b.upper, b.expectedShare])).toEqual([
      [-Infinity, 0, 0.7],
      [0, 1, 0.3],
      [1, Infinity, 0],
    ]);
    expect(same.psi).toBe(0);
    // Four of ten actual values above 1 land in the empty top bin: (0.4 − ε)·ln(0.4/ε) dominates.
    const shifted = populationStabilityIndex(tied, [0, 0, 0, 0, 0, 1, 2, 2, 2, 2]);
    expect(shifted.bins[2]!.actualShare).toBeCloseTo(0.4, 12);
    expect(psiLevel(shifted.psi)).toBe('act');
  });

  it('checks its inputs and options', () => {
    expect(() => populationStabilityIndex([], [1])).toThrow(/expected is empty/);
    expect(() => populationStabilityIndex([1, NaN], [1])).toThrow(/expected\[1\] is NaN/);
    expect(() => populationStabilityIndex([1], [2], { bins: 0 })).toThrow(/bins/);
    expect(() => populationStabilityIndex([1], [2], { bins: 2.5 })).toThrow(/bins/);
    expect(() => populationStabilityIndex([1], [2], { epsilon: 0 })).toThrow(/epsilon/);
  });
});

describe('categoricalPsi', () => {
  it('matches the hand computation', () => {
    // a: 0.5 → 0.75, b: 0.5 → 0.25.
    // PSI = 0.25·ln(0.75/0.5) + (−0.25)·ln(0.25/0.5) = 0.25·(ln 1.5 + ln 2) = 0.25·ln 3 = 0.274653
    const result = categoricalPsi(['a', 'a', 'b', 'b'], ['a', 'a', 'a', 'b']);
    expect(result.psi).toBeCloseTo(0.25 * Math.log(3), 12);
    expect(result.bins.map((b) => b.category)).toEqual(['a', 'b']);
    expect(psiLevel(result.psi)).toBe('act');
  });

  it('counts null as its own category and floors categories missing on one side', () => {
    // expected a .5, b .25, c .25; actual a .25, b .5, null .25.
    // a and b: 0.25·ln 2 each. c and null: (0.25 − 1e−4)·ln(0.25/1e−4) = 0.2499·ln 2500 each.
    const result = categoricalPsi(['a', 'a', 'b', 'c'], ['a', 'b', 'b', null]);
    expect(result.bins.map((b) => b.category)).toEqual(['a', 'b', 'c', NULL_CATEGORY]);
    expect(result.psi).toBeCloseTo(0.5 * Math.log(2) + 0.4998 * Math.log(2500), 10);
  });

  it('keeps null apart from the string "(null)"', () => {
    const result = categoricalPsi([null, '(null)'], [null, '(null)']);
    expect(result.bins).toHaveLength(2);
    expect(result.psi).toBe(0);
  });

  it('throws on empty input', () => {
    expect(() => categoricalPsi([], ['a'])).toThrow(/expected is empty/);
  });
});

describe('psiLevel', () => {
  it('cuts at 0.1 and 0.25, lower edge inclusive', () => {
    expect(psiLevel(0)).toBe('stable');
    expect(psiLevel(0.0999)).toBe('stable');
    expect(psiLevel(0.1)).toBe('watch');
    expect(psiLevel(0.2499)).toBe('watch');
    expect(psiLevel(0.25)).toBe('act');
    expect(psiLevel(3)).toBe('act');
    expect(psiLevel(Infinity)).toBe('act');
  });

  it('rejects NaN and negative values', () => {
    expect(() => psiLevel(NaN)).toThrow(RangeError);
    expect(() => psiLevel(-0.01)).toThrow(RangeError);
  });
});

describe('ksStatistic', () => {
  it('matches the hand computation with ties across samples', () => {
    // a = [1, 2, 2, 3], b = [2, 3, 4, 5]. ECDFs after each distinct value:
    // x=1: 0.25 vs 0 · x=2: 0.75 vs 0.25 · x=3: 1 vs 0.5 · x=4: 1 vs 0.75 → D = 0.5
    expect(ksStatistic([1, 2, 2, 3], [2, 3, 4, 5])).toBe(0.5);
  });

  it('matches the hand computation with unequal sizes', () => {
    // a has 5 values, b has 3. At 0.3: F_a = 3/5, F_b = 0 → 0.6, the largest gap.
    expect(ksStatistic([0.5, 0.1, 0.3, 0.2, 0.4], [0.45, 0.35, 0.55])).toBeCloseTo(0.6, 12);
  });

  it('is 1 for separated samples and 0 for identical ones', () => {
    expect(ksStatistic([1, 2, 3], [4, 5])).toBe(1);
    expect(ksStatistic([3, 1, 2], [1, 2, 3])).toBe(0);
  });

  it('checks its inputs', () => {
    expect(() => ksStatistic([], [1])).toThrow(/a is empty/);
    expect(() => ksStatistic([1], [1, NaN])).toThrow(/b\[1\] is NaN/);
  });
});
