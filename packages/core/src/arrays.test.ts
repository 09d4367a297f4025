import { describe, expect, it } from 'vitest';
import { appendAll, maxOf, minOf } from './index.ts';

const MILLION = 1_000_000;

describe('array helpers on 1,000,000 elements (spreads overflow the stack there)', () => {
  const big = Array.from({ length: MILLION }, (_, i) => (i * 7919) % MILLION);

  it('the spread they replace does overflow at this size', () => {
    // eslint-disable-next-line no-restricted-syntax -- the overflow this file guards against
    expect(() => Math.max(...big)).toThrow(RangeError);
    // eslint-disable-next-line no-restricted-syntax -- idem
    expect(() => [].push(...(big as never[]))).toThrow(RangeError);
  });

  it('maxOf and minOf match Math.max and Math.min', () => {
    expect(maxOf(big)).toBe(MILLION - 1);
    expect(minOf(big)).toBe(0);
    expect(maxOf([])).toBe(Math.max());
    expect(minOf([])).toBe(Math.min());
    expect(maxOf([1, Number.NaN, 3])).toBeNaN();
    expect(minOf(new Set([3, -2, 5]))).toBe(-2);
  });

  it('appendAll appends in order', () => {
    const out = [1, 2];
    expect(appendAll(out, big)).toBe(out);
    expect(out).toHaveLength(MILLION + 2);
    expect(out[2]).toBe(big[0]);
    expect(out.at(-1)).toBe(big.at(-1));
  });
});
