import { discreteGaussianHalfWidth, discreteGaussianPmf } from '@airlock/noise';
import { describe, expect, it } from 'vitest';
import { measureUnit, planAggregate, rhoForAccuracy, rhoForHalfWidth, selectionThreshold, type PlanInput } from './plan.ts';
import { epsilonFromRho, rhoForSigma, rhoFromEpsilon, sigmaForRho } from './zcdp.ts';

const COST = { column: 'cost', min: 0, max: 100_000 } as const;
const LOS = { column: 'length_of_stay', min: 0, max: 60 } as const;

/** The admissions policy's settings: m = 5, two bounded measures, δ = 1e-7, min_count 11. */
const ADMISSIONS: Omit<PlanInput, 'rho'> = {
  maxRowsPerSubject: 5,
  rows: true,
  sums: [COST, LOS],
  partitionSelection: true,
  delta: 1e-7,
  minCount: 11,
};

/** P(Z ≥ k) for the discrete Gaussian, summed from the pmf far into the tail (independent of plan.ts's walk). */
function upperTail(k: number, sigma: number): number {
  let sum = 0;
  const last = Math.max(k, 0) + Math.ceil(60 * sigma) + 10;
  for (let x = last; x >= k; x--) sum += discreteGaussianPmf(x, sigma);
  return sum;
}

describe('zCDP conversions', () => {
  it('ε(ρ, δ) = ρ + 2√(ρ ln(1/δ)) (Bun & Steinke, Prop. 1.3)', () => {
    // By hand: ln(1e7) = 16.1181, √(0.25 · 16.1181) = 2.00737, so ε = 0.25 + 4.01474.
    expect(epsilonFromRho(0.25, 1e-7)).toBeCloseTo(4.26474, 4);
    expect(epsilonFromRho(0.05, 1e-7)).toBeCloseTo(0.05 + 2 * Math.sqrt(0.05 * Math.log(1e7)), 12);
    expect(epsilonFromRho(1, Math.exp(-4))).toBeCloseTo(1 + 2 * 2, 12);
    expect(epsilonFromRho(0, 1e-7)).toBe(0);
  });

  it('ρ(ε, δ) inverts it: the largest ρ whose ε is at most the one asked for', () => {
    // By hand at δ = e⁻⁴: √ρ = √(4 + 5) − √4 = 1, so ρ = 1 and ε(1) = 1 + 2·2 = 5.
    expect(rhoFromEpsilon(5, Math.exp(-4))).toBeCloseTo(1, 12);
    for (const epsilon of [0.1, 1, 10]) expect(epsilonFromRho(rhoFromEpsilon(epsilon, 1e-6), 1e-6)).toBeCloseTo(epsilon, 9);
    expect(rhoFromEpsilon(0, 1e-6)).toBe(0);
  });

  it('σ = Δ₂/√(2ρ) and back', () => {
    expect(sigmaForRho(1, 0.5)).toBe(1);
    expect(sigmaForRho(3, 0.125)).toBeCloseTo(6, 12);
    expect(rhoForSigma(3, 6)).toBeCloseTo(0.125, 12);
    expect(rhoForSigma(Math.sqrt(5), sigmaForRho(Math.sqrt(5), 0.0123))).toBeCloseTo(0.0123, 12);
  });
});

describe('planAggregate', () => {
  it('splits ρ by weight (subjects 1, rows 1, each sum 1, other ¼) and the shares add up to ρ', () => {
    const plan = planAggregate({ ...ADMISSIONS, rho: 0.05 });
    const weights = 1 + 1 + 2 + 0.25;
    expect(plan.subjects.rho).toBeCloseTo(0.05 / weights, 15);
    expect(plan.rows?.rho).toBeCloseTo(0.05 / weights, 15);
    expect(plan.sums.get('cost')?.rho).toBeCloseTo(0.05 / weights, 15);
    expect(plan.other?.rho).toBeCloseTo((0.25 * 0.05) / weights, 15);
    const total = plan.subjects.rho + (plan.rows?.rho ?? 0) + [...plan.sums.values()].reduce((s, x) => s + x.rho, 0) + (plan.other?.rho ?? 0);
    expect(total).toBeCloseTo(0.05, 15);
  });

  it.each([
    ['subjects only', { rows: false, sums: [], partitionSelection: false }, 1],
    ['subjects and rows, declared keys', { rows: true, sums: [], partitionSelection: false }, 2],
    ['subjects, rows, one sum, selection', { rows: true, sums: [COST], partitionSelection: true }, 3.25],
  ] as const)('shares add up to ρ: %s', (_name, parts, weights) => {
    const plan = planAggregate({ ...ADMISSIONS, ...parts, rho: 0.3 });
    const total = plan.subjects.rho + (plan.rows?.rho ?? 0) + [...plan.sums.values()].reduce((s, x) => s + x.rho, 0) + (plan.other?.rho ?? 0);
    expect(total).toBeCloseTo(0.3, 15);
    expect(plan.subjects.rho).toBeCloseTo(0.3 / weights, 15);
    expect(plan.rows === null).toBe(!parts.rows);
    expect(plan.other === null).toBe(!parts.partitionSelection);
    expect(plan.partitionThreshold === null).toBe(!parts.partitionSelection);
  });

  it('gives each statistic σ = Δ₂/√(2ρ): Δ₂ = √m for subjects, m for rows and "other", m·max|bound|/unit for sums', () => {
    // ρ = 0.05 over weights 4.25: each full share is 0.0117647, so √(2ρ) = 0.153393.
    const plan = planAggregate({ ...ADMISSIONS, rho: 0.05 });
    const root = Math.sqrt((2 * 0.05) / 4.25);
    expect(root).toBeCloseTo(0.153393, 6);
    expect(plan.subjects.l2).toBeCloseTo(Math.sqrt(5), 15);
    expect(plan.subjects.sigma).toBeCloseTo(2.2360680 / 0.153393, 4); // 14.5775
    expect(plan.rows?.l2).toBe(5);
    expect(plan.rows?.sigma).toBeCloseTo(5 / 0.153393, 4); // 32.596
    // cost: bound 100,000, unit 100 (a thousandth, as a power of ten), Δ₂ = 5 · 100,000 / 100 = 5,000 units.
    const cost = plan.sums.get('cost')!;
    expect(cost.unit).toBe(100);
    expect(cost.l2).toBe(5000);
    expect(cost.sigma).toBeCloseTo(5000 / 0.153393, 1); // 32,596 units = 3.26 million in cost
    // length of stay: bound 60, unit 0.01, Δ₂ = 5 · 60 / 0.01 = 30,000 units.
    const los = plan.sums.get('length_of_stay')!;
    expect(los.unit).toBeCloseTo(0.01, 15);
    expect(los.l2).toBeCloseTo(30_000, 6);
    expect(los.sigma).toBeCloseTo(30_000 / 0.153393, 0);
    // "other": Δ₂ = m at a quarter share.
    expect(plan.other?.l2).toBe(5);
    expect(plan.other?.sigma).toBeCloseTo(5 / Math.sqrt((2 * 0.25 * 0.05) / 4.25), 6);
  });

  it('uses the larger of |min| and |max| as a sum bound', () => {
    const plan = planAggregate({ ...ADMISSIONS, maxRowsPerSubject: 2, sums: [{ column: 'balance', min: -200, max: 50 }], rho: 1 });
    const balance = plan.sums.get('balance')!;
    expect(balance.unit).toBeCloseTo(0.1, 15);
    expect(balance.l2).toBeCloseTo((2 * 200) / 0.1, 9);
  });

  it('states 95% and 97.5% half-widths in the statistic’s own scale', () => {
    const plan = planAggregate({ ...ADMISSIONS, rho: 0.05 });
    expect(plan.subjects.halfWidth95).toBe(discreteGaussianHalfWidth(plan.subjects.sigma, 0.95));
    expect(plan.subjects.halfWidth95).toBeGreaterThanOrEqual(Math.floor(1.96 * plan.subjects.sigma) - 1);
    expect(plan.subjects.halfWidth95).toBeLessThanOrEqual(Math.ceil(1.96 * plan.subjects.sigma) + 1);
    const cost = plan.sums.get('cost')!;
    expect(cost.halfWidth95).toBe(discreteGaussianHalfWidth(cost.sigma, 0.95) * 100);
    expect(cost.halfWidth975).toBe(discreteGaussianHalfWidth(cost.sigma, 0.975) * 100);
    expect(cost.halfWidth975).toBeGreaterThan(cost.halfWidth95);
  });

  it('reports ε at δ/2 with partition selection (the other δ/2 bounds the selection), at δ without', () => {
    expect(planAggregate({ ...ADMISSIONS, rho: 0.05 }).epsilon).toBeCloseTo(0.05 + 2 * Math.sqrt(0.05 * Math.log(2e7)), 12);
    expect(planAggregate({ ...ADMISSIONS, partitionSelection: false, rho: 0.05 }).epsilon).toBeCloseTo(0.05 + 2 * Math.sqrt(0.05 * Math.log(1e7)), 12);
  });

  it('shows a cell at max(min_count, partition threshold)', () => {
    const low = planAggregate({ ...ADMISSIONS, minCount: 2, rho: 0.05 });
    expect(low.partitionThreshold).toBe(selectionThreshold(low.subjects.sigma, 5, 0.5e-7));
    expect(low.partitionThreshold).toBeGreaterThan(2);
    expect(low.threshold).toBe(low.partitionThreshold);
    const high = planAggregate({ ...ADMISSIONS, minCount: 1000, rho: 0.05 });
    expect(high.partitionThreshold).toBeLessThan(1000);
    expect(high.threshold).toBe(1000);
    const declared = planAggregate({ ...ADMISSIONS, partitionSelection: false, minCount: 11, rho: 0.05 });
    expect(declared.partitionThreshold).toBeNull();
    expect(declared.threshold).toBe(11);
  });

  it.each([0, -0.1, Number.NaN, Number.POSITIVE_INFINITY])('refuses ρ = %s with BAD_REQUEST', (rho) => {
    expect(() => planAggregate({ ...ADMISSIONS, rho })).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });
});

describe('measureUnit', () => {
  it.each([
    [100_000, 100],
    [60, 0.01],
    [1000, 1],
    [9999, 1],
    [0.5, 0.0001],
    [0, 1],
  ])('bound %s → unit %s (a thousandth of the bound, as a power of ten)', (bound, unit) => {
    expect(measureUnit(bound)).toBeCloseTo(unit, 15);
  });
});

describe('selectionThreshold', () => {
  // Desfontaines et al. 2022: a group that exists because of one subject has count 1; the subject
  // is in at most m groups; each shows when 1 + Z ≥ τ. τ is the smallest integer with
  // m·P(Z ≥ τ − 1) ≤ δ, so one below it breaks the bound: m·P(Z ≥ τ − 2) > δ.
  it.each([
    [1, 1, 1e-7],
    [5, 1, 1e-7],
    [14.58, 5, 0.5e-7],
    [3.7, 3, 1e-9],
    [40, 10, 1e-6],
    [0.8, 1, 1e-5],
    [120, 2, 1e-8],
  ])('σ = %s, m = %s, δ = %s: m·P(Z ≥ τ−1) ≤ δ < m·P(Z ≥ τ−2)', (sigma, m, delta) => {
    const tau = selectionThreshold(sigma, m, delta);
    expect(m * upperTail(tau - 1, sigma)).toBeLessThanOrEqual(delta);
    expect(m * upperTail(tau - 2, sigma)).toBeGreaterThan(delta);
  });

  it('grows with σ and with m, and shrinks as δ grows', () => {
    expect(selectionThreshold(20, 1, 1e-7)).toBeGreaterThan(selectionThreshold(10, 1, 1e-7));
    expect(selectionThreshold(10, 10, 1e-7)).toBeGreaterThan(selectionThreshold(10, 1, 1e-7));
    expect(selectionThreshold(10, 1, 1e-3)).toBeLessThan(selectionThreshold(10, 1, 1e-7));
  });

  it('is about 1 + σ·Φ̄⁻¹(δ/m) for a large σ (the continuous Gaussian tail)', () => {
    const sigma = 50;
    const tau = selectionThreshold(sigma, 5, 1e-7);
    // P(Z ≥ t) ≈ Φ̄(t/σ) and Φ̄(5.49) ≈ 2e-8 = δ/m, so τ − 1 ≈ 5.49σ ≈ 275.
    expect(tau).toBeGreaterThanOrEqual(270);
    expect(tau).toBeLessThanOrEqual(280);
  });
});

describe('accuracy targets', () => {
  // Planted bug it catches: the first version only stepped σ down from target/1.96 and never up,
  // so whole-number half-widths were paid for at up to 2.6× the ρ needed (1.4× at ±3).
  it('rhoForHalfWidth gives the least ρ whose 95% half-width meets the target', () => {
    for (const [l2, halfWidth] of [
      [1, 1],
      [1, 3],
      [Math.sqrt(5), 10],
      [5, 40],
      [5000, 20_000],
    ] as const) {
      const rho = rhoForHalfWidth(l2, halfWidth);
      const sigma = sigmaForRho(l2, rho);
      expect(discreteGaussianHalfWidth(sigma, 0.95)).toBeLessThanOrEqual(halfWidth);
      // Not wasteful: 1% less ρ would miss the target.
      expect(discreteGaussianHalfWidth(sigmaForRho(l2, rho * 0.99), 0.95)).toBeGreaterThan(halfWidth);
    }
  });

  it.each([
    ['subjects', { statistic: 'subjects', halfWidth: 10 }, (p: ReturnType<typeof planAggregate>) => p.subjects.halfWidth95],
    ['subjects, ±25', { statistic: 'subjects', halfWidth: 25 }, (p: ReturnType<typeof planAggregate>) => p.subjects.halfWidth95],
    ['rows', { statistic: 'rows', halfWidth: 30 }, (p: ReturnType<typeof planAggregate>) => p.rows!.halfWidth95],
    ['sum of cost', { statistic: 'sum', measure: 'cost', halfWidth: 2_000_000 }, (p: ReturnType<typeof planAggregate>) => p.sums.get('cost')!.halfWidth95],
    ['sum of length of stay', { statistic: 'sum', measure: 'length_of_stay', halfWidth: 500 }, (p: ReturnType<typeof planAggregate>) => p.sums.get('length_of_stay')!.halfWidth95],
  ] as const)('rhoForAccuracy gives the requested 95%% half-width: %s', (_name, target, halfWidthOf) => {
    const rho = rhoForAccuracy(ADMISSIONS, target);
    const plan = planAggregate({ ...ADMISSIONS, rho });
    expect(halfWidthOf(plan)).toBeLessThanOrEqual(target.halfWidth);
    // And no more ρ than that: with 1% less the target would be missed.
    expect(halfWidthOf(planAggregate({ ...ADMISSIONS, rho: rho * 0.99 }))).toBeGreaterThan(target.halfWidth);
  });

  it('refuses targets the query cannot meet', () => {
    expect(() => rhoForAccuracy({ ...ADMISSIONS, rows: false }, { statistic: 'rows', halfWidth: 5 })).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    expect(() => rhoForAccuracy(ADMISSIONS, { statistic: 'sum', measure: 'age', halfWidth: 5 })).toThrow(/sum of age/);
    expect(() => rhoForHalfWidth(1, 0)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });
});
