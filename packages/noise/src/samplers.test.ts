// Goodness of fit of every sampler against its exact pmf. Significance: a seeded run passes when
// the chi-square p-value is above 1e-4 (deterministic: the seed fixes the draws), a crypto-source
// run when it is above 1e-6, so a correct sampler fails about once in a million runs. Each test's
// power is shown on planted bugs below: the same chi-square must reject them with p < 1e-6.
import { chiSquareCdf } from '@airlock/metrics';
import { isAirlockError } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import {
  cryptoRandomBits,
  discreteGaussian,
  discreteGaussianPmf,
  discreteGaussianVariance,
  discreteLaplace,
  discreteLaplacePmf,
  discreteLaplaceVariance,
  sampleBernoulliExp,
  sampleDiscreteGaussian,
  sampleDiscreteLaplace,
  seededRandomBits,
  type RandomBits,
  type Rational,
} from './index.ts';

const SAMPLES = 50_000;
const SEEDED_ALPHA = 1e-4;
const CRYPTO_ALPHA = 1e-6;
const PLANTED_ALPHA = 1e-6;
/** Fewer draws suffice to reject the planted bugs, with χ² far beyond the 1e-6 point. */
const PLANTED_SAMPLES = 20_000;

interface Fit {
  statistic: number;
  degreesOfFreedom: number;
  p: number;
}

/**
 * Pearson's chi-square of integer samples against a pmf symmetric around 0: one bin per value whose
 * expected count is ≥ 5, and each tail beyond them pooled into one bin (folded into the outermost
 * bin when the pooled tail still expects fewer than 5).
 */
function chiSquareFit(samples: readonly number[], pmf: (x: number) => number): Fit {
  const n = samples.length;
  let edge = 0;
  while (n * pmf(edge + 1) >= 5) edge++;
  let central = 0;
  for (let x = -edge; x <= edge; x++) central += pmf(x);
  let tail = Math.max(0, (1 - central) / 2);
  const poolTails = n * tail >= 5;
  if (!poolTails) tail = 0;
  const low = poolTails ? -edge - 1 : -edge; // bin index for everything ≤ low (a pooled tail)
  const high = poolTails ? edge + 1 : edge;
  const observed = new Map<number, number>();
  for (const s of samples) {
    const bin = Math.min(high, Math.max(low, s));
    observed.set(bin, (observed.get(bin) ?? 0) + 1);
  }
  let statistic = 0;
  let bins = 0;
  for (let bin = low; bin <= high; bin++) {
    let p: number;
    if (poolTails && (bin === low || bin === high)) p = tail;
    else if (!poolTails && bin === low) p = pmf(bin) + (1 - central) / 2;
    else if (!poolTails && bin === high) p = pmf(bin) + (1 - central) / 2;
    else p = pmf(bin);
    const expected = n * p;
    const o = observed.get(bin) ?? 0;
    statistic += ((o - expected) * (o - expected)) / expected;
    bins++;
  }
  const degreesOfFreedom = bins - 1;
  return { statistic, degreesOfFreedom, p: 1 - chiSquareCdf(statistic, degreesOfFreedom) };
}

function draw(n: number, sample: () => number): number[] {
  return Array.from({ length: n }, sample);
}

// 1.7 = 17/10 exercises a scale t/s with both t and s above 1; σ = 1/0.7 a σ² (2040749/999967)
// whose acceptance denominator exceeds 2³², so the multi-word uniform draws are used.
const laplaceScales = [0.5, 1, 1.7, 3, 20];
const gaussianSigmas = [0.5, 1, 1 / 0.7, 3, 20];

describe('discrete Laplace, chi-square against the exact pmf (seeded, 50,000 draws each)', () => {
  for (const scale of laplaceScales) {
    it(`scale ${scale}`, () => {
      const bits = seededRandomBits(`laplace-${scale}`);
      const fit = chiSquareFit(
        draw(SAMPLES, () => discreteLaplace(scale, bits)),
        (x) => discreteLaplacePmf(x, scale),
      );
      expect(fit.degreesOfFreedom).toBeGreaterThan(2);
      expect(fit.p, JSON.stringify(fit)).toBeGreaterThan(SEEDED_ALPHA);
    });
  }
});

describe('discrete Gaussian, chi-square against the exact pmf (seeded, 50,000 draws each)', () => {
  for (const sigma of gaussianSigmas) {
    it(`σ ${sigma}`, () => {
      const bits = seededRandomBits(`gaussian-${sigma}`);
      const fit = chiSquareFit(
        draw(SAMPLES, () => discreteGaussian(sigma, bits)),
        (x) => discreteGaussianPmf(x, sigma),
      );
      expect(fit.degreesOfFreedom).toBeGreaterThan(1);
      expect(fit.p, JSON.stringify(fit)).toBeGreaterThan(SEEDED_ALPHA);
    });
  }

  it('non-integer rational σ² (7/3)', () => {
    const bits = seededRandomBits('gaussian-7/3');
    const sigma2: Rational = { num: 7n, den: 3n };
    const fit = chiSquareFit(
      draw(SAMPLES, () => Number(sampleDiscreteGaussian(sigma2, bits))),
      (x) => discreteGaussianPmf(x, Math.sqrt(7 / 3)),
    );
    expect(fit.p, JSON.stringify(fit)).toBeGreaterThan(SEEDED_ALPHA);
  });
});

/** Frequency of true against exp(−γ): chi-square with one degree of freedom. */
function bernoulliFit(n: number, gamma: number, sample: () => boolean): Fit {
  let ones = 0;
  for (let i = 0; i < n; i++) if (sample()) ones++;
  const p = Math.exp(-gamma);
  const expected = [n * p, n * (1 - p)];
  const observed = [ones, n - ones];
  const statistic = expected.reduce((s, e, i) => s + (observed[i]! - e) ** 2 / e, 0);
  return { statistic, degreesOfFreedom: 1, p: 1 - chiSquareCdf(statistic, 1) };
}

describe('Bernoulli(exp(−γ)), chi-square against exp(−γ) (seeded, 50,000 draws each)', () => {
  it('γ = 0 is always true', () => {
    const bits = seededRandomBits('bernoulli-0');
    for (let i = 0; i < 1000; i++) expect(sampleBernoulliExp({ num: 0n, den: 1n }, bits)).toBe(true);
  });

  for (const [num, den] of [
    [3n, 10n],
    [1n, 1n],
    [5n, 1n],
    [7n, 3n],
  ] as const) {
    it(`γ = ${num}/${den}`, () => {
      const bits = seededRandomBits(`bernoulli-${num}/${den}`);
      const fit = bernoulliFit(SAMPLES, Number(num) / Number(den), () => sampleBernoulliExp({ num, den }, bits));
      expect(fit.p, JSON.stringify(fit)).toBeGreaterThan(SEEDED_ALPHA);
    });
  }
});

describe('with the cryptographic source (20,000 draws each)', () => {
  const bits = cryptoRandomBits();
  it('discrete Laplace, scale 3', () => {
    const fit = chiSquareFit(
      draw(20_000, () => discreteLaplace(3, bits)),
      (x) => discreteLaplacePmf(x, 3),
    );
    expect(fit.p, JSON.stringify(fit)).toBeGreaterThan(CRYPTO_ALPHA);
  });
  it('discrete Gaussian, σ 3 (the default source)', () => {
    const fit = chiSquareFit(
      draw(20_000, () => discreteGaussian(3)),
      (x) => discreteGaussianPmf(x, 3),
    );
    expect(fit.p, JSON.stringify(fit)).toBeGreaterThan(CRYPTO_ALPHA);
  });
  it('Bernoulli(exp(−1/2))', () => {
    const fit = bernoulliFit(20_000, 0.5, () => sampleBernoulliExp({ num: 1n, den: 2n }, bits));
    expect(fit.p, JSON.stringify(fit)).toBeGreaterThan(CRYPTO_ALPHA);
  });
});

// Planted bugs: wrong samplers that the same tests must reject, so their green above counts.
describe('the same chi-square rejects planted bugs (20,000 draws, p < 1e-6)', () => {
  it('catches a discrete Laplace with its scale 10% too small (3 → 2.7)', () => {
    const bits = seededRandomBits('planted-scale');
    const fit = chiSquareFit(
      draw(PLANTED_SAMPLES, () => discreteLaplace(2.7, bits)),
      (x) => discreteLaplacePmf(x, 3),
    );
    expect(fit.p).toBeLessThan(PLANTED_ALPHA);
  });

  it('catches textbook floating-point Laplace noise rounded to an integer (Mironov 2012), scale 1', () => {
    // Rounding a continuous Laplace gives P(0) = 1 − e^(−1/2) = 0.39 instead of tanh(1/2) = 0.46.
    const bits = seededRandomBits('planted-float');
    const uniform = (): number => (Number(bits.uniformBelow(2n ** 53n)) + 0.5) / 2 ** 53;
    const floatLaplace = (): number => {
      const u = uniform() - 0.5;
      return Math.round(-1 * Math.sign(u) * Math.log(1 - 2 * Math.abs(u)));
    };
    const fit = chiSquareFit(draw(PLANTED_SAMPLES, floatLaplace), (x) => discreteLaplacePmf(x, 1));
    expect(fit.p).toBeLessThan(PLANTED_ALPHA);
  });

  it('catches a discrete Laplace that forgets to reject −0 (CKS Algorithm 2, last step), scale 3', () => {
    const bits = seededRandomBits('planted-zero');
    const t = 3n;
    const buggy = (): number => {
      for (;;) {
        const u = bits.uniformBelow(t);
        if (!sampleBernoulliExp({ num: u, den: t }, bits)) continue;
        let v = 0n;
        while (sampleBernoulliExp({ num: 1n, den: 1n }, bits)) v += 1n;
        const x = Number(u + t * v);
        return bits.uniformBelow(2n) === 1n ? -x : x; // bug: −0 kept, so 0 comes twice as often
      }
    };
    const fit = chiSquareFit(draw(PLANTED_SAMPLES, buggy), (x) => discreteLaplacePmf(x, 3));
    expect(fit.p).toBeLessThan(PLANTED_ALPHA);
  });

  it('catches a discrete Gaussian with σ 10% too small (3 → 2.7)', () => {
    const bits = seededRandomBits('planted-sigma');
    const fit = chiSquareFit(
      draw(PLANTED_SAMPLES, () => discreteGaussian(2.7, bits)),
      (x) => discreteGaussianPmf(x, 3),
    );
    expect(fit.p).toBeLessThan(PLANTED_ALPHA);
  });

  it('catches a discrete Gaussian whose acceptance step uses σ²/t rounded down to an integer (σ = 1)', () => {
    // With σ² = 1, t = 2: the correct acceptance is exp(−(|Y| − 1/2)²/2); the bug uses (|Y| − 0)².
    const bits = seededRandomBits('planted-acceptance');
    const buggy = (): number => {
      for (;;) {
        const y = sampleDiscreteLaplace({ num: 2n, den: 1n }, bits);
        const a = y < 0n ? -y : y;
        if (sampleBernoulliExp({ num: a * a, den: 2n }, bits)) return Number(y);
      }
    };
    const fit = chiSquareFit(draw(PLANTED_SAMPLES, buggy), (x) => discreteGaussianPmf(x, 1));
    expect(fit.p).toBeLessThan(PLANTED_ALPHA);
  });

  it('catches a Bernoulli(exp(−γ)) with one exp(−1) round too few for the integer part (γ = 7/3)', () => {
    const bits = seededRandomBits('planted-bernoulli');
    const buggy = (): boolean => {
      for (let i = 1; i < 2; i++) if (!sampleBernoulliExp({ num: 1n, den: 1n }, bits)) return false; // bug: ⌊γ⌋ − 1 rounds
      return sampleBernoulliExp({ num: 1n, den: 3n }, bits);
    };
    const fit = bernoulliFit(PLANTED_SAMPLES, 7 / 3, buggy);
    expect(fit.p).toBeLessThan(PLANTED_ALPHA);
  });
});

/** Exact k-th absolute moment Σ |x|^k·pmf(x), summed until the terms vanish. */
function moment(pmf: (x: number) => number, k: number): number {
  let sum = 0;
  for (let x = 1; x < 100_000; x++) {
    const term = 2 * x ** k * pmf(x);
    sum += term;
    if (term < 1e-18 * sum && x > 10) break;
  }
  return sum;
}

describe('symmetry, mean and variance (seeded, 50,000 draws)', () => {
  const cases: Array<{ name: string; sample: (bits: RandomBits) => number; pmf: (x: number) => number; variance: number }> = [
    { name: 'Laplace scale 3', sample: (b) => discreteLaplace(3, b), pmf: (x) => discreteLaplacePmf(x, 3), variance: discreteLaplaceVariance(3) },
    { name: 'Laplace scale 20', sample: (b) => discreteLaplace(20, b), pmf: (x) => discreteLaplacePmf(x, 20), variance: discreteLaplaceVariance(20) },
    { name: 'Gaussian σ 3', sample: (b) => discreteGaussian(3, b), pmf: (x) => discreteGaussianPmf(x, 3), variance: discreteGaussianVariance(3) },
    { name: 'Gaussian σ 0.5', sample: (b) => discreteGaussian(0.5, b), pmf: (x) => discreteGaussianPmf(x, 0.5), variance: discreteGaussianVariance(0.5) },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const bits = seededRandomBits(`moments-${c.name}`);
      const samples = draw(SAMPLES, () => c.sample(bits));
      // The exact variance agrees with the pmf's second moment (two independent computations).
      expect(c.variance).toBeCloseTo(moment(c.pmf, 2), 9);
      const fourth = moment(c.pmf, 4);
      const n = samples.length;
      let positive = 0;
      let negative = 0;
      let sum = 0;
      let squares = 0;
      for (const s of samples) {
        if (s > 0) positive++;
        else if (s < 0) negative++;
        sum += s;
        squares += s * s;
      }
      // Each bound is five standard errors of the statistic under the exact distribution.
      expect(Math.abs(positive - negative)).toBeLessThan(5 * Math.sqrt(positive + negative));
      const mean = sum / n;
      expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(c.variance / n));
      const variance = squares / n - mean * mean;
      expect(Math.abs(variance - c.variance)).toBeLessThan(5 * Math.sqrt((fourth - c.variance ** 2) / n));
    });
  }
});

describe('input validation', () => {
  const bits = seededRandomBits('validation');
  const expectBadRequest = (fn: () => unknown, mention: RegExp): void => {
    let caught: unknown;
    try {
      fn();
    } catch (error) {
      caught = error;
    }
    expect(isAirlockError(caught, 'BAD_REQUEST'), String(caught)).toBe(true);
    expect((caught as Error).message).toMatch(mention);
  };

  it('refuses non-positive, non-finite and huge scales and σ, naming the value', () => {
    for (const bad of [0, -1, Number.NaN, Infinity, -Infinity]) {
      expectBadRequest(() => discreteLaplace(bad, bits), new RegExp(`scale must be a finite number > 0, got ${String(bad)}`));
      expectBadRequest(() => discreteGaussian(bad, bits), new RegExp(`sigma must be a finite number > 0, got ${String(bad)}`));
    }
    expectBadRequest(() => discreteLaplace(2e12, bits), /scale must be at most 1000000000000, got 2000000000000/);
    expectBadRequest(() => discreteGaussian(2e12, bits), /sigma must be at most 1000000000000/);
  });

  it('refuses bad rationals', () => {
    expectBadRequest(() => sampleDiscreteLaplace({ num: 0n, den: 1n }, bits), /scale must be > 0, got 0\/1/);
    expectBadRequest(() => sampleDiscreteLaplace({ num: 1n, den: 0n }, bits), /positive denominator, got 1\/0/);
    expectBadRequest(() => sampleDiscreteLaplace({ num: -3n, den: 2n }, bits), /scale must be > 0, got -3\/2/);
    expectBadRequest(() => sampleDiscreteGaussian({ num: 10n ** 25n, den: 1n }, bits), /sigma2 must be at most/);
    expectBadRequest(() => sampleBernoulliExp({ num: -1n, den: 2n }, bits), /gamma must be >= 0, got -1\/2/);
  });

  it('still samples at the largest allowed parameters', () => {
    expect(Number.isSafeInteger(discreteLaplace(1e12, bits))).toBe(true);
    expect(Number.isSafeInteger(discreteGaussian(1e12, bits))).toBe(true);
  });
});
