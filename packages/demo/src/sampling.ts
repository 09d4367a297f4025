import type { Rng } from '@airlock/core';

/** Draws values in proportion to fixed weights in O(log n), by binary search over running totals. */
export class WeightedTable<T> {
  readonly #values: T[] = [];
  readonly #cumulative: number[] = [];
  #total = 0;

  constructor(entries: Iterable<readonly [T, number]>) {
    for (const [value, weight] of entries) {
      if (!(weight > 0)) continue;
      this.#total += weight;
      this.#values.push(value);
      this.#cumulative.push(this.#total);
    }
    if (this.#values.length === 0) throw new RangeError('WeightedTable needs at least one positive weight');
  }

  sample(rng: Rng): T {
    const target = rng.next() * this.#total;
    let lo = 0;
    let hi = this.#values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return this.#values[lo]!;
  }
}

/** Poisson draw by Knuth's product method: exact, and fast enough for the small means used here. */
export function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  let product = rng.next();
  while (product > limit) {
    count++;
    product *= rng.next();
  }
  return count;
}

/**
 * A bijection of `[0, modulus)` to itself, `i -> (a * i + b) mod modulus` with `a` coprime to the
 * modulus, so identifiers built from distinct indexes are distinct without remembering any. Valid
 * for indexes up to 1e8: `a` stays below 2^26 so `a * i + b` stays an exact double.
 */
export function affinePermutation(rng: Rng, modulus: number): (index: number) => number {
  let a = 0;
  while (a < 1000 || gcd(a, modulus) !== 1) a = rng.int(2 ** 26);
  const b = rng.int(modulus);
  return (index) => (a * index + b) % modulus;
}

function gcd(x: number, y: number): number {
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** The logistic function. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
