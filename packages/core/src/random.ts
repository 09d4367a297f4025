import { createHash } from 'node:crypto';

/** A seeded pseudo-random source: same seed, same sequence, on every machine. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[];
  /** One element, uniformly. Throws on an empty array. */
  pick<T>(items: readonly T[]): T;
}

/**
 * xoshiro128** seeded through sha256 of the seed's text, so any string or number is a good seed.
 * Not for secrets: use node:crypto for keys and surrogates.
 */
export function createRng(seed: number | string): Rng {
  const digest = createHash('sha256').update(String(seed)).digest();
  const s = new Uint32Array([digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)]);
  let spare: number | undefined;

  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  };

  const rng: Rng = {
    next: () => nextU32() / 4294967296,
    int: (n) => Math.floor(rng.next() * n),
    normal: () => {
      if (spare !== undefined) {
        const value = spare;
        spare = undefined;
        return value;
      }
      let u = 0;
      while (u === 0) u = rng.next();
      const v = rng.next();
      const radius = Math.sqrt(-2 * Math.log(u));
      spare = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    },
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick() from an empty array');
      return items[rng.int(items.length)]!;
    },
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
