import { createCipheriv, createHash, randomFillSync } from 'node:crypto';
import { AirlockError } from '@airlock/core';

/** The only thing the samplers ask of a randomness source. */
export interface RandomBits {
  /** A uniform integer in [0, n), exactly (no modulo bias); n ≥ 1. */
  uniformBelow(n: bigint): bigint;
}

/** Words fetched per refill: one 8 KiB system call serves thousands of samples. */
const POOL_WORDS = 2048;
const TWO_POW_32 = 4294967296;

/**
 * A RandomBits drawing 32-bit words from a pool that `refill` fills. Exact uniformity by
 * rejection: below 2³² a word is accepted when it falls under the largest multiple of n that fits,
 * then reduced mod n; above, whole words are joined, masked to n's bit length, and redrawn when ≥ n.
 */
class PooledBits implements RandomBits {
  private readonly pool = new Uint32Array(POOL_WORDS);
  private next = POOL_WORDS;
  private lastN = 0;
  private lastLimit = 0;

  constructor(private readonly refill: (pool: Uint32Array) => void) {}

  private word(): number {
    if (this.next === POOL_WORDS) {
      this.refill(this.pool);
      this.next = 0;
    }
    return this.pool[this.next++]!;
  }

  uniformBelow(n: bigint): bigint {
    if (n <= 1n) {
      if (n === 1n) return 0n;
      throw new AirlockError('BAD_REQUEST', `uniformBelow needs n >= 1, got ${n}.`);
    }
    if (n <= 0x100000000n) {
      const m = Number(n);
      if (m !== this.lastN) {
        this.lastN = m;
        this.lastLimit = TWO_POW_32 - (TWO_POW_32 % m);
      }
      const limit = this.lastLimit;
      for (;;) {
        const w = this.word();
        if (w < limit) return BigInt(w % m);
      }
    }
    const bits = (n - 1n).toString(2).length;
    const words = Math.ceil(bits / 32);
    const mask = (1n << BigInt(bits)) - 1n;
    for (;;) {
      let r = 0n;
      for (let i = 0; i < words; i++) r = (r << 32n) | BigInt(this.word());
      r &= mask;
      if (r < n) return r;
    }
  }
}

/**
 * Uniform integers from the operating system's cryptographic generator (`crypto.randomFillSync`,
 * pooled 8 KiB at a time so a draw is cheap). The source for every released noise draw.
 */
export function cryptoRandomBits(): RandomBits {
  return new PooledBits((pool) => {
    randomFillSync(pool);
  });
}

/**
 * Deterministic uniform integers for tests and reproducible experiments: the AES-256-CTR keystream
 * under key sha256(seed), read as little-endian 32-bit words. Same seed, same draws, on every
 * machine. NOT for releases: anyone who knows or guesses the seed can recompute the noise and
 * subtract it.
 */
export function seededRandomBits(seed: string): RandomBits {
  const key = createHash('sha256').update(`airlock-noise-seed:${seed}`).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(POOL_WORDS * 4);
  return new PooledBits((pool) => {
    const stream = cipher.update(zeros);
    for (let i = 0; i < POOL_WORDS; i++) pool[i] = stream.readUInt32LE(i * 4);
  });
}
