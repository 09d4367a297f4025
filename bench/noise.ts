/**
 * Exact noise (@airlock/noise): (a) samples per second of the discrete Laplace (scale 3, 100) and
 * the discrete Gaussian (σ 3, 100) on the pooled cryptographic source, against `crypto.randomInt`
 * calls (one uniform integer each, Node's own pooled CSPRNG) in the same run; (b) uniform draws
 * per sample (mean and tail); (c) the timing side channel: median time per sample by size of the
 * draw, plain and with a fixed draw budget, against the smallest draws.
 */
import { randomInt } from 'node:crypto';
import {
  cryptoRandomBits,
  sampleDiscreteGaussian,
  sampleDiscreteLaplace,
  sampleWithDrawBudget,
  type RandomBits,
  type Rational,
} from '@airlock/noise';
import { quantile, type BenchContext, type BenchResult } from './harness.ts';

interface Case {
  name: string;
  /** Noise scale in output units: t for the Laplace, σ for the Gaussian. */
  width: number;
  sample: (bits: RandomBits) => bigint;
}

const rational = (num: bigint): Rational => ({ num, den: 1n });
const CASES: Case[] = [
  { name: 'discrete Laplace, scale 3', width: 3, sample: (b) => sampleDiscreteLaplace(rational(3n), b) },
  { name: 'discrete Laplace, scale 100', width: 100, sample: (b) => sampleDiscreteLaplace(rational(100n), b) },
  { name: 'discrete Gaussian, σ 3', width: 3, sample: (b) => sampleDiscreteGaussian(rational(9n), b) },
  { name: 'discrete Gaussian, σ 100', width: 100, sample: (b) => sampleDiscreteGaussian(rational(10_000n), b) },
];

/** Best of three timed runs of n calls; calls per second. */
function rate(n: number, fn: () => unknown): number {
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.max(best, n / seconds);
  }
  return best;
}

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const n = ctx.quick ? 20_000 : 500_000;
  const bits = cryptoRandomBits();

  ctx.log(`throughput: ${n} samples per case, best of 3`);
  for (const c of CASES) rate(10_000, () => c.sample(bits)); // warm-up
  const baseline = rate(n, () => randomInt(1000));
  const pooled = rate(n, () => bits.uniformBelow(1000n));
  for (const c of CASES) {
    results.push({
      name: c.name,
      figure: rate(n, () => c.sample(bits)),
      unit: 'samples/s',
      baseline: { name: 'crypto.randomInt(1000) calls', figure: baseline },
      notes: `crypto source; its pooled uniformBelow(1000) alone: ${Math.round(pooled).toLocaleString('en-US')}/s`,
    });
  }

  ctx.log('uniform draws per sample');
  const budgets = new Map<string, number>();
  for (const c of CASES) {
    const counts: number[] = [];
    const counting: RandomBits = {
      uniformBelow: (m) => {
        counts[counts.length - 1]!++;
        return bits.uniformBelow(m);
      },
    };
    for (let i = 0; i < n; i++) {
      counts.push(0);
      c.sample(counting);
    }
    const mean = counts.reduce((s, x) => s + x, 0) / counts.length;
    const p999 = quantile(counts, 0.999);
    budgets.set(c.name, p999);
    results.push({
      name: `${c.name}: uniform draws per sample`,
      figure: mean,
      unit: 'draws',
      notes: `median ${quantile(counts, 0.5)}, p99 ${quantile(counts, 0.99)}, p99.9 ${p999}, max ${quantile(counts, 1)}`,
    });
  }

  ctx.log('time per sample by |output| (the timing side channel)');
  for (const c of [CASES[0]!, CASES[2]!]) {
    const budget = budgets.get(c.name)!;
    for (const padded of [false, true]) {
      const buckets = bucketTimes(n, c.width, () => (padded ? sampleWithDrawBudget(budget, bits, c.sample) : c.sample(bits)));
      const base = buckets[0]!;
      for (const b of buckets.slice(1)) {
        if (b.count === 0) continue;
        results.push({
          name: `${c.name}${padded ? `, draw budget ${budget}` : ''}: time at ${b.label}`,
          figure: b.medianNs,
          unit: 'ns/sample (median)',
          baseline: { name: base.label, figure: base.medianNs },
          notes: `${b.count} of ${n} samples (baseline bucket ${base.count}); means ${Math.round(b.meanNs)} vs ${Math.round(base.meanNs)} ns`,
        });
      }
    }
  }
  return results;
}

interface Bucket {
  label: string;
  count: number;
  medianNs: number;
  meanNs: number;
}

/**
 * Time per sample grouped by |output| / width: [0, 1), [1, 2), [2, 4), [4, ∞). The median is the
 * figure (garbage-collection pauses land in the mean); the mean goes in the notes.
 */
function bucketTimes(n: number, width: number, sample: () => bigint): Bucket[] {
  const edges = [0, 1, 2, 4, Infinity];
  const times: number[][] = edges.slice(1).map(() => []);
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    const x = sample();
    const ns = Number(process.hrtime.bigint() - start);
    const size = Math.abs(Number(x)) / width;
    const k = edges.findIndex((edge, j) => size >= edge && size < edges[j + 1]!);
    times[k]!.push(ns);
  }
  return times.map((list, k) => ({
    label: `|x| in [${edges[k]}, ${edges[k + 1]})·${width}`.replace('Infinity)', '∞)'),
    count: list.length,
    medianNs: quantile(list, 0.5),
    meanNs: list.length ? list.reduce((s, t) => s + t, 0) / list.length : Number.NaN,
  }));
}
