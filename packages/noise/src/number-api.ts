// Sampling with JS-number parameters and results, for callers that work in numbers. Parameters are
// rounded UP to a rational (never a smaller scale than asked for), the draw itself stays exact.
import { AirlockError } from '@airlock/core';
import { checkPositive } from './check.ts';
import { cryptoRandomBits, type RandomBits } from './random-bits.ts';
import { DEFAULT_MAX_DENOMINATOR, exactRational, rationalAtLeast, roundUpRational, type Rational } from './rational.ts';
import { sampleDiscreteGaussian, sampleDiscreteLaplace } from './samplers.ts';

let sharedBits: RandomBits | undefined;

/** The process-wide cryptographic source the number API uses when none is given. */
function defaultBits(): RandomBits {
  sharedBits ??= cryptoRandomBits();
  return sharedBits;
}

/** Rounded parameters of recent calls: the same few scales are asked for again and again. */
const CACHE_LIMIT = 64;
const laplaceScales = new Map<number, Rational>();
const gaussianVariances = new Map<number, Rational>();

function cached(cache: Map<number, Rational>, key: number, make: () => Rational): Rational {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    value = make();
    cache.set(key, value);
  }
  return value;
}

function toSafeNumber(x: bigint): number {
  const n = Number(x);
  // Unreachable for parameters up to 1e12 (it would take |x| > 9e15); checked all the same.
  if (!Number.isSafeInteger(n)) throw new AirlockError('INTERNAL', `noise draw ${x} is beyond the safe integer range.`);
  return n;
}

/**
 * The σ² a discrete Gaussian with parameter σ draws from: the exact square of the double σ,
 * rounded up to a rational with denominator ≤ 10⁶.
 */
export function sigmaSquaredAtLeast(sigma: number): Rational {
  checkPositive('sigma', sigma);
  const s = exactRational(sigma);
  return roundUpRational({ num: s.num * s.num, den: s.den * s.den }, DEFAULT_MAX_DENOMINATOR);
}

/**
 * One discrete Laplace draw with this scale (rounded up to a rational, see
 * {@link rationalAtLeast}), as a safe integer. `bits` defaults to a shared cryptographic source.
 * Throws AirlockError BAD_REQUEST for a scale that is not a finite number in (0, 1e12].
 */
export function discreteLaplace(scale: number, bits: RandomBits = defaultBits()): number {
  checkPositive('scale', scale);
  const rational = cached(laplaceScales, scale, () => rationalAtLeast(scale));
  return toSafeNumber(sampleDiscreteLaplace(rational, bits));
}

/**
 * One discrete Gaussian draw with parameter σ (σ² rounded up to a rational, see
 * {@link sigmaSquaredAtLeast}), as a safe integer. `bits` defaults to a shared cryptographic source.
 * Throws AirlockError BAD_REQUEST for a σ that is not a finite number in (0, 1e12].
 */
export function discreteGaussian(sigma: number, bits: RandomBits = defaultBits()): number {
  checkPositive('sigma', sigma);
  const rational = cached(gaussianVariances, sigma, () => sigmaSquaredAtLeast(sigma));
  return toSafeNumber(sampleDiscreteGaussian(rational, bits));
}
