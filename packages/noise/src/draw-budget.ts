import { AirlockError } from '@airlock/core';
import type { RandomBits } from './random-bits.ts';

/** What dummy draws ask for: a small bound like most of a sampler's real draws. */
const PAD_BOUND = 3n;

/**
 * Runs `sample` on `bits`, then makes dummy draws until `budget` draws have been made in all, so
 * the number of uniform draws — the main cost of a rejection sampler, and the part that grows
 * with the size of the noise drawn — is the same for every sample that fits the budget. A sample
 * that needs more draws than the budget still completes (exactness is never traded away) and takes
 * longer: choose the budget from the draw counts the benchmark reports (e.g. their 99.9th
 * percentile). The time of the arithmetic between draws still varies a little; see the README.
 */
export function sampleWithDrawBudget<T>(budget: number, bits: RandomBits, sample: (bits: RandomBits) => T): T {
  if (!Number.isSafeInteger(budget) || budget < 0) {
    throw new AirlockError('BAD_REQUEST', `draw budget must be a whole number >= 0, got ${String(budget)}.`);
  }
  let draws = 0;
  const counted: RandomBits = {
    uniformBelow: (n) => {
      draws++;
      return bits.uniformBelow(n);
    },
  };
  const value = sample(counted);
  // Dummy draws go through the same counting wrapper and do the same kind of BigInt step as a
  // sampler's loop, so each costs about what a real draw costs.
  let sink = 0n;
  while (draws < budget) sink += counted.uniformBelow(PAD_BOUND);
  // Keeps the dummy draws from being optimised away; never true.
  if (sink < 0n) throw new AirlockError('INTERNAL', 'unreachable');
  return value;
}
