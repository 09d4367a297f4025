// The exponential mechanism against its exact distribution: chi-square on 50,000 seeded draws,
// and the same test rejecting a planted bug (a sampler that forgets the factor 2 in 2Δ).
import { chiSquareCdf } from '@airlock/metrics';
import { isAirlockError, maxOf } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { sampleExponentialMechanism, seededRandomBits, type RandomBits } from './index.ts';

const DRAWS = 50_000;

function probabilities(scores: readonly number[], epsilon: number, sensitivity: number): number[] {
  const best = maxOf(scores);
  const weights = scores.map((q) => Math.exp((epsilon * (q - best)) / (2 * sensitivity)));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

function chiSquareP(counts: readonly number[], expected: readonly number[]): number {
  let statistic = 0;
  let bins = 0;
  counts.forEach((observed, i) => {
    const e = expected[i]! * DRAWS;
    if (e < 5) return;
    statistic += (observed - e) ** 2 / e;
    bins++;
  });
  return 1 - chiSquareCdf(statistic, bins - 1);
}

function draw(sample: (bits: RandomBits) => number, candidates: number, seed: string): number[] {
  const bits = seededRandomBits(seed);
  const counts = new Array<number>(candidates).fill(0);
  for (let i = 0; i < DRAWS; i++) counts[sample(bits)]!++;
  return counts;
}

describe('sampleExponentialMechanism', () => {
  const scores = [0, 3, 5, 8, 8, 12, 20];

  it.each([
    [0.5, 1],
    [1, 2],
    [2, 7],
  ])('draws each candidate with probability ∝ exp(εq/2Δ) (ε=%s, Δ=%s)', (epsilon, sensitivity) => {
    const counts = draw((bits) => sampleExponentialMechanism(scores, epsilon, sensitivity, bits), scores.length, `em-${epsilon}-${sensitivity}`);
    expect(chiSquareP(counts, probabilities(scores, epsilon, sensitivity))).toBeGreaterThan(1e-4);
  });

  it('rejects a planted bug that halves the denominator (twice the ε)', () => {
    const counts = draw((bits) => sampleExponentialMechanism(scores, 2, 2, bits), scores.length, 'em-planted');
    // Drawn at ε = 2 but tested against ε = 1: the test must see the difference.
    expect(chiSquareP(counts, probabilities(scores, 1, 2))).toBeLessThan(1e-6);
  });

  it('treats a hopeless candidate as never chosen and handles one candidate', () => {
    const bits = seededRandomBits('em-edge');
    expect(sampleExponentialMechanism([5], 1, 1, bits)).toBe(0);
    for (let i = 0; i < 100; i++) expect(sampleExponentialMechanism([0, 9_000_000_000_000], 1000, 1, bits)).toBe(1);
  });

  it('refuses bad input with BAD_REQUEST', () => {
    const bits = seededRandomBits('em-bad');
    for (const call of [
      () => sampleExponentialMechanism([], 1, 1, bits),
      () => sampleExponentialMechanism([1.5], 1, 1, bits),
      () => sampleExponentialMechanism([1], 0, 1, bits),
      () => sampleExponentialMechanism([1], 1, 0.5, bits),
    ]) {
      let caught: unknown;
      try {
        call();
      } catch (error) {
        caught = error;
      }
      expect(isAirlockError(caught) && caught.code === 'BAD_REQUEST').toBe(true);
    }
  });
});
