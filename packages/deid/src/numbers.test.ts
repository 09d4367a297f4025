import { describe, expect, it } from 'vitest';
import { TransformError, bucketLabels, bucketNumber, clampNumber } from './index.ts';

describe('bucketNumber', () => {
  const edges = [0, 18, 65];
  it('labels below, between and above the edges, with lower bounds included', () => {
    expect(bucketNumber(-0.5, edges)).toBe('<0');
    expect(bucketNumber(0, edges)).toBe('[0,18)');
    expect(bucketNumber(17.999, edges)).toBe('[0,18)');
    expect(bucketNumber(18, edges)).toBe('[18,65)');
    expect(bucketNumber(65, edges)).toBe('>=65');
    expect(bucketNumber(1e9, edges)).toBe('>=65');
    expect(bucketNumber(3, [3])).toBe('>=3');
    expect(bucketNumber(2, [3])).toBe('<3');
    expect(bucketNumber(null, edges)).toBeNull();
  });

  it('lists every label in order', () => {
    expect(bucketLabels(edges)).toEqual(['<0', '[0,18)', '[18,65)', '>=65']);
    expect(bucketLabels([1.5])).toEqual(['<1.5', '>=1.5']);
  });

  it('rejects non-finite values and bad edges', () => {
    expect(() => bucketNumber(Number.NaN, edges)).toThrow(TransformError);
    expect(() => bucketNumber(Number.POSITIVE_INFINITY, edges)).toThrow(TransformError);
    for (const bad of [[], [1, 1], [2, 1], [0, Number.NaN]]) {
      expect(() => bucketNumber(1, bad)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }) as Error);
    }
  });
});

describe('clampNumber', () => {
  it('codes values beyond the bounds to the bounds, either side optional', () => {
    expect(clampNumber(5, 0, 10)).toBe(5);
    expect(clampNumber(-1, 0, 10)).toBe(0);
    expect(clampNumber(0, 0, 10)).toBe(0);
    expect(clampNumber(10, 0, 10)).toBe(10);
    expect(clampNumber(11, 0, 10)).toBe(10);
    expect(clampNumber(-1e9, undefined, 10)).toBe(-1e9);
    expect(clampNumber(1e9, 0, undefined)).toBe(1e9);
    expect(clampNumber(7, 7, 7)).toBe(7);
    expect(clampNumber(null, 0, 10)).toBeNull();
  });

  it('rejects non-finite values and min above max', () => {
    expect(() => clampNumber(Number.NaN, 0, 10)).toThrow(TransformError);
    expect(() => clampNumber(1, 10, 0)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }) as Error);
  });
});
