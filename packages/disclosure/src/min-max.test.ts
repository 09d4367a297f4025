import { isAirlockError } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { minMaxReleasable } from './min-max.ts';

describe('minMaxReleasable', () => {
  it('releases an extreme only when at least minCount subjects hold it', () => {
    expect(minMaxReleasable(1, 5)).toBe(false); // one person's value
    expect(minMaxReleasable(4, 5)).toBe(false);
    expect(minMaxReleasable(5, 5)).toBe(true);
    expect(minMaxReleasable(500, 5)).toBe(true);
    expect(minMaxReleasable(0, 2)).toBe(false);
  });

  it('rejects a bad minCount or holder count', () => {
    for (const [holders, minCount] of [
      [3, 1],
      [3, 2.5],
      [-1, 5],
      [1.5, 5],
      [Number.NaN, 5],
    ] as const) {
      let caught: unknown;
      try {
        minMaxReleasable(holders, minCount);
      } catch (error) {
        caught = error;
      }
      expect(isAirlockError(caught, 'BAD_REQUEST')).toBe(true);
    }
  });
});
