import { AirlockError } from '@airlock/core';
import { checkPositive } from './check.ts';
import type { RandomBits } from './random-bits.ts';
import { sampleBernoulliExp } from './samplers.ts';

/** ε is used as a rational with this denominator, rounded down (never more ε than asked for). */
const EPSILON_DENOMINATOR = 1_000_000n;
const GAMMA_LIMIT = 10n ** 12n;

/**
 * The exponential mechanism (McSherry & Talwar 2007), exactly: index i with probability
 * proportional to exp(ε·qᵢ / (2Δ)), for whole-number scores q of sensitivity Δ. It is ε-DP and,
 * being a bounded-range mechanism, ε²/8-zCDP (Cesar & Rogers 2021), which is how callers account it.
 *
 * Drawn by rejection, with no floating point: propose a uniform index i, accept it with probability
 * exp(−ε·(q* − qᵢ)/(2Δ)) (q* the best score), an exact Bernoulli(exp(−γ)) draw on rationals (CKS
 * 2020). The accepted index has exactly the mechanism's distribution; the expected number of
 * proposals is at most the number of candidates. ε is rounded down to a multiple of 10⁻⁶.
 *
 * Throws BAD_REQUEST when there is no candidate, a score is not a safe whole number, or ε or Δ
 * is not a positive finite number.
 */
export function sampleExponentialMechanism(scores: readonly number[], epsilon: number, sensitivity: number, bits: RandomBits): number {
  checkPositive('epsilon', epsilon);
  checkPositive('sensitivity', sensitivity);
  if (scores.length === 0) throw new AirlockError('BAD_REQUEST', 'The exponential mechanism needs at least one candidate.');
  if (!Number.isSafeInteger(sensitivity)) throw new AirlockError('BAD_REQUEST', `sensitivity must be a whole number, got ${sensitivity}.`);
  let best = Number.NEGATIVE_INFINITY;
  for (const score of scores) {
    if (!Number.isSafeInteger(score)) throw new AirlockError('BAD_REQUEST', `Exponential mechanism scores must be safe whole numbers, got ${score}.`);
    if (score > best) best = score;
  }
  const epsilonNum = BigInt(Math.floor(epsilon * Number(EPSILON_DENOMINATOR)));
  if (epsilonNum === 0n) throw new AirlockError('BAD_REQUEST', `epsilon ${epsilon} is below 1e-6; the choice would be uniform.`);
  const den = EPSILON_DENOMINATOR * 2n * BigInt(sensitivity);
  const count = BigInt(scores.length);
  for (;;) {
    const i = Number(bits.uniformBelow(count));
    const gap = BigInt(best - scores[i]!);
    if (gap === 0n) return i;
    const num = epsilonNum * gap;
    // Beyond γ = 10¹² the acceptance chance, below exp(−10¹²), is taken as zero.
    if (num / den >= GAMMA_LIMIT) continue;
    if (sampleBernoulliExp({ num, den }, bits)) return i;
  }
}
