import { chiSquareCdf } from '@airlock/metrics';
import { isAirlockError } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { cryptoRandomBits, seededRandomBits, type RandomBits } from './index.ts';

/** Chi-square p-value of uniformBelow(n) frequencies over `draws` draws (n small). */
function uniformityP(bits: RandomBits, n: number, draws: number): number {
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < draws; i++) {
    const v = Number(bits.uniformBelow(BigInt(n)));
    counts[v]!++;
  }
  const expected = draws / n;
  const statistic = counts.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
  return 1 - chiSquareCdf(statistic, n - 1);
}

describe('seededRandomBits', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const take = (bits: RandomBits): bigint[] => Array.from({ length: 5000 }, () => bits.uniformBelow(1000n));
    expect(take(seededRandomBits('a'))).toEqual(take(seededRandomBits('a')));
    expect(take(seededRandomBits('a'))).not.toEqual(take(seededRandomBits('b')));
  });

  it('gives the same first draws on every machine: the AES-256-CTR keystream as little-endian words', () => {
    // Oracle, outside Node: key=$(printf 'airlock-noise-seed:pinned' | sha256sum | cut -c1-64);
    // head -c 16 /dev/zero | openssl enc -aes-256-ctr -K $key -iv 0…0 | od -An -tu4 --endian=little
    const bits = seededRandomBits('pinned');
    const first = Array.from({ length: 4 }, () => bits.uniformBelow(2n ** 32n));
    expect(first).toEqual([567754225n, 303665145n, 2033409575n, 693321206n]);
  });
});

describe('uniformBelow', () => {
  for (const [name, make] of [
    ['seeded', () => seededRandomBits('uniform')],
    ['crypto', () => cryptoRandomBits()],
  ] as const) {
    it(`${name}: uniform below small n, including n that do not divide 2³² (p > 1e-6)`, () => {
      const bits = make();
      for (const n of [2, 3, 7, 10, 100]) expect(uniformityP(bits, n, 50_000)).toBeGreaterThan(1e-6);
    });

    it(`${name}: stays in range for n near and beyond 2³² and for 200-bit n`, () => {
      const bits = make();
      for (const n of [1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 32n + 1n, 3n * 2n ** 40n + 5n, 2n ** 200n - 7n]) {
        for (let i = 0; i < 2000; i++) {
          const v = bits.uniformBelow(n);
          expect(v >= 0n && v < n).toBe(true);
        }
      }
    });
  }

  it('is uniform above 2³²: the top and bottom halves and residues mod 3 of n = 3·2⁴⁰ + 5 (p > 1e-6)', () => {
    const bits = seededRandomBits('wide');
    const n = 3n * 2n ** 40n + 5n;
    const counts = [0, 0, 0];
    let low = 0;
    const draws = 30_000;
    for (let i = 0; i < draws; i++) {
      const v = bits.uniformBelow(n);
      counts[Number(v % 3n)]!++;
      if (v < n / 2n) low++;
    }
    const statistic = counts.reduce((s, o) => s + (o - draws / 3) ** 2 / (draws / 3), 0);
    expect(1 - chiSquareCdf(statistic, 2)).toBeGreaterThan(1e-6);
    expect(Math.abs(low - draws / 2)).toBeLessThan(5 * Math.sqrt(draws / 4));
  });

  it('refuses n < 1', () => {
    let caught: unknown;
    try {
      cryptoRandomBits().uniformBelow(0n);
    } catch (error) {
      caught = error;
    }
    expect(isAirlockError(caught, 'BAD_REQUEST')).toBe(true);
    expect((caught as Error).message).toMatch(/n >= 1, got 0/);
  });
});
