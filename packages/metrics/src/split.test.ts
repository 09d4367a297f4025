import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from './index.ts';

/** 70 rows of 'a' then 30 of 'b'. */
const labels = [...new Array<string>(70).fill('a'), ...new Array<string>(30).fill('b')];

function classCounts(part: readonly number[], of: ArrayLike<number | string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const i of part) counts[String(of[i])] = (counts[String(of[i])] ?? 0) + 1;
  return counts;
}

describe('stratifiedSplit', () => {
  it('splits each class in the given proportions', () => {
    // 'a': 0.8·70 = 56 and 14; 'b': 0.8·30 = 24 and 6.
    const [train, test] = stratifiedSplit(labels, [0.8, 0.2], 'seed');
    expect(classCounts(train!, labels)).toEqual({ a: 56, b: 24 });
    expect(classCounts(test!, labels)).toEqual({ a: 14, b: 6 });
  });

  it('puts every index in exactly one part, each part sorted', () => {
    const parts = stratifiedSplit(labels, [0.7, 0.2, 0.1], 3);
    const all = parts.flat().sort((x, y) => x - y);
    expect(all).toEqual(labels.map((_, i) => i));
    for (const part of parts) expect(part).toEqual([...part].sort((x, y) => x - y));
  });

  it('gives leftovers to the largest remainders', () => {
    // 33 rows at [0.7, 0.2, 0.1]: quotas 23.1, 6.6, 3.3 → floors 23, 6, 3 (32); the one row left
    // goes to the largest remainder, 0.6 → 23, 7, 3.
    const parts = stratifiedSplit(new Array(33).fill(1), [0.7, 0.2, 0.1], 'x');
    expect(parts.map((p) => p.length)).toEqual([23, 7, 3]);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(stratifiedSplit(labels, [0.5, 0.5], 'same')).toEqual(stratifiedSplit(labels, [0.5, 0.5], 'same'));
    expect(stratifiedSplit(labels, [0.5, 0.5], 'same')).not.toEqual(stratifiedSplit(labels, [0.5, 0.5], 'other'));
  });

  it('treats numbers and strings as different classes and leaves zero-fraction parts empty', () => {
    const mixed = [1, 1, '1', '1', 0, 0];
    const [first, second] = stratifiedSplit(mixed, [0.5, 0.5], 9);
    expect(first).toHaveLength(3);
    expect(classCounts(first!, mixed)).toEqual({ '0': 1, '1': 2 });
    expect(second).toHaveLength(3);
    expect(stratifiedSplit([0, 1, 1], [1, 0], 1)).toEqual([[0, 1, 2], []]);
  });

  it('returns empty parts for empty labels', () => {
    expect(stratifiedSplit([], [0.5, 0.5], 1)).toEqual([[], []]);
  });

  it('checks fractions and labels', () => {
    expect(() => stratifiedSplit(labels, [0.5, 0.4], 1)).toThrow(/sum to 0\.9/);
    expect(() => stratifiedSplit(labels, [1.5, -0.5], 1)).toThrow(/fractions\[1\] is -0\.5/);
    expect(() => stratifiedSplit(labels, [], 1)).toThrow(/fractions is empty/);
    expect(() => stratifiedSplit([1, NaN], [1], 1)).toThrow(/labels\[1\] is NaN/);
  });

  it('splits 1,000,000 rows in one class without overflowing the stack (issue 12: push(...slice) threw at 200,000)', () => {
    const labels = new Uint8Array(1_000_000); // one class: one stratum of a million rows
    const [train, test] = stratifiedSplit(labels, [0.8, 0.2], 'big');
    expect(train).toHaveLength(800_000);
    expect(test).toHaveLength(200_000);
    expect(train![0]).toBeLessThan(train![1]!);
  });
});
