import { AirlockError } from '@airlock/core';

/** An exact rational number num/den; den > 0. Not necessarily in lowest terms. */
export interface Rational {
  num: bigint;
  den: bigint;
}

/** Largest scale, σ or σ² the samplers accept (a bigger one is almost surely a unit mistake). */
export const MAX_PARAMETER = 1e12;

/** Default largest denominator of {@link rationalAtLeast}: scales are rounded up by < 1e-6 / den. */
export const DEFAULT_MAX_DENOMINATOR = 1_000_000n;

const TWO_POW_52 = 2n ** 52n;

/**
 * The exact value of a finite double as a rational in lowest terms (a double is m·2^e exactly).
 * Internal: callers check finiteness first.
 */
export function exactRational(x: number): Rational {
  if (Number.isInteger(x) && Number.isSafeInteger(x)) return { num: BigInt(x), den: 1n };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = hi >>> 31 === 1;
  const biasedExponent = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (biasedExponent === 0) {
    exponent = -1074; // subnormal: m·2^-1074
  } else {
    mantissa += TWO_POW_52;
    exponent = biasedExponent - 1075;
  }
  if (negative) mantissa = -mantissa;
  if (exponent >= 0) return { num: mantissa << BigInt(exponent), den: 1n };
  return reduce({ num: mantissa, den: 1n << BigInt(-exponent) });
}

/** Greatest common divisor of |a| and |b|. */
export function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** The same rational in lowest terms. */
export function reduce(r: Rational): Rational {
  const g = gcd(r.num, r.den);
  return g <= 1n ? r : { num: r.num / g, den: r.den / g };
}

/** ⌊a / b⌋ for b > 0 (BigInt division truncates toward zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a < 0n && q * b !== a ? q - 1n : q;
}

/** ⌊√n⌋ for n ≥ 0, by Newton's method on integers. */
export function integerSqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError(`integerSqrt of a negative number: ${n}`);
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n)))); // a close start; corrected below
  if (x === 0n) x = 1n;
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x -= 1n;
  while ((x + 1n) * (x + 1n) <= n) x += 1n;
  return x;
}

/**
 * The smallest rational ≥ r whose denominator is at most maxDen: r itself when its lowest-terms
 * denominator fits, else the upper end of the Farey interval around r, found by walking the
 * Stern–Brocot tree in runs (the continued-fraction steps). Every rational strictly between the
 * two ends of that interval has a denominator > maxDen, so none ≥ r is smaller.
 */
export function roundUpRational(r: Rational, maxDen: bigint): Rational {
  const x = reduce(r);
  if (x.den <= maxDen) return x;
  const { num: p, den: q } = x;
  // Invariant: a/b < p/q < c/d, b·c − a·d = 1.
  let a = floorDiv(p, q);
  let b = 1n;
  let c = a + 1n;
  let d = 1n;
  for (;;) {
    if (b + d > maxDen) return { num: c, den: d };
    if (p * (b + d) < (a + c) * q) {
      // p/q is below the mediant: the upper end moves to (k·a + c)/(k·b + d), for the largest k
      // that stays above p/q and within the denominator bound.
      const byValue = (c * q - p * d - 1n) / (p * b - a * q);
      const byDen = (maxDen - d) / b;
      const k = byValue < byDen ? byValue : byDen;
      c += k * a;
      d += k * b;
    } else {
      // Above the mediant (never equal: p/q's denominator exceeds maxDen ≥ b + d).
      const byValue = (p * b - a * q - 1n) / (c * q - p * d);
      const byDen = (maxDen - b) / d;
      const k = byValue < byDen ? byValue : byDen;
      a += k * c;
      b += k * d;
    }
  }
}

/**
 * The smallest rational ≥ x with denominator ≤ maxDen (default 10⁶): 3 → 3/1, 0.5 → 1/2,
 * 1/3 → 1/3, 0.1 → 100000/999999 (the double 0.1 is 0.1000000000000000055…, just above 1/10).
 * Never less than x (x is read as the exact value of the double), so a noise scale rounded this
 * way is never smaller than asked for and privacy is never weakened; it exceeds x by less than
 * 1/maxDen.
 * Throws AirlockError BAD_REQUEST for a non-finite x or maxDen < 1.
 */
export function rationalAtLeast(x: number, maxDen: bigint = DEFAULT_MAX_DENOMINATOR): Rational {
  if (!Number.isFinite(x)) throw new AirlockError('BAD_REQUEST', `rationalAtLeast needs a finite number, got ${x}.`);
  if (maxDen < 1n) throw new AirlockError('BAD_REQUEST', `rationalAtLeast needs maxDen >= 1, got ${maxDen}.`);
  return roundUpRational(exactRational(x), maxDen);
}

/** The rational as a double (for messages and checks; may round). */
export function rationalToNumber(r: Rational): number {
  return Number(r.num) / Number(r.den);
}

/**
 * Checks a rational noise parameter: den > 0, 0 < value ≤ max (default 10¹²; ≥ 0 when zero is allowed).
 * Throws AirlockError BAD_REQUEST naming the parameter and its value.
 */
export function checkParameter(name: string, r: Rational, allowZero = false, max: bigint = 10n ** 12n): void {
  const shown = `${r.num}/${r.den}`;
  if (typeof r.num !== 'bigint' || typeof r.den !== 'bigint') {
    throw new AirlockError('BAD_REQUEST', `${name} must be a Rational of two bigints, got ${String(r.num)}/${String(r.den)}.`);
  }
  if (r.den <= 0n) throw new AirlockError('BAD_REQUEST', `${name} must have a positive denominator, got ${shown}.`);
  if (r.num < 0n || (r.num === 0n && !allowZero)) {
    throw new AirlockError('BAD_REQUEST', `${name} must be ${allowZero ? '>= 0' : '> 0'}, got ${shown}.`);
  }
  if (r.num > max * r.den) {
    throw new AirlockError('BAD_REQUEST', `${name} must be at most ${max}, got ${shown} (about ${rationalToNumber(r)}); check its units.`);
  }
}
