import { isAirlockError } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { sampleDiscreteLaplace, sampleWithDrawBudget, seededRandomBits, type RandomBits } from './index.ts';

/** Counts the draws made on the underlying source (the oracle, outside the code under test). */
function counting(bits: RandomBits): RandomBits & { draws: number } {
  const wrapper = {
    draws: 0,
    uniformBelow: (n: bigint): bigint => {
      wrapper.draws++;
      return bits.uniformBelow(n);
    },
  };
  return wrapper;
}

const scale3 = { num: 3n, den: 1n };

describe('sampleWithDrawBudget', () => {
  it('makes exactly `budget` draws per sample when the sample fits, whatever the value drawn', () => {
    const source = counting(seededRandomBits('budget'));
    const drawsBySize = new Map<number, Set<number>>();
    for (let i = 0; i < 5000; i++) {
      const before = source.draws;
      const x = sampleWithDrawBudget(200, source, (b) => sampleDiscreteLaplace(scale3, b));
      const size = Math.min(5, Math.abs(Number(x)));
      if (!drawsBySize.has(size)) drawsBySize.set(size, new Set());
      drawsBySize.get(size)!.add(source.draws - before);
    }
    // Planted bug this catches: padding that counts only its own draws, or none (then small and
    // large draws would show different counts here).
    for (const counts of drawsBySize.values()) expect([...counts]).toEqual([200]);
    expect(drawsBySize.size).toBe(6);
  });

  it('leaves the value unchanged: the same draws as the sampler alone on the same stream positions', () => {
    // Padding comes after the sample, so with budget 0 the stream is identical to the bare sampler's.
    const a = seededRandomBits('same');
    const b = seededRandomBits('same');
    for (let i = 0; i < 1000; i++) {
      expect(sampleWithDrawBudget(0, a, (bits) => sampleDiscreteLaplace(scale3, bits))).toBe(sampleDiscreteLaplace(scale3, b));
    }
  });

  it('still completes a sample that needs more draws than the budget', () => {
    const source = counting(seededRandomBits('overrun'));
    for (let i = 0; i < 100; i++) {
      const before = source.draws;
      sampleWithDrawBudget(1, source, (b) => sampleDiscreteLaplace(scale3, b));
      expect(source.draws - before).toBeGreaterThanOrEqual(1);
    }
  });

  it('refuses a budget that is not a whole number >= 0', () => {
    for (const bad of [-1, 1.5, Number.NaN]) {
      let caught: unknown;
      try {
        sampleWithDrawBudget(bad, seededRandomBits('x'), () => 0);
      } catch (error) {
        caught = error;
      }
      expect(isAirlockError(caught, 'BAD_REQUEST')).toBe(true);
      expect((caught as Error).message).toContain(`got ${bad}`);
    }
  });
});
