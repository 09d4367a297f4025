import { discreteGaussian, discreteGaussianPmf, seededRandomBits } from '@airlock/noise';
import { describe, expect, it } from 'vitest';
import { planAggregate, type AggregatePlan, type PlanInput, type PlannedStatistic } from './plan.ts';
import { keyOf, releaseAggregate, type GaussianNoise, type NoisyValue, type ReleasedCell, type TrueCell } from './release.ts';

/** Discrete Gaussian noise from a seeded stream: reproducible, never for releases. */
function seededNoise(seed: string): GaussianNoise {
  const bits = seededRandomBits(seed);
  return (sigma) => discreteGaussian(sigma, bits);
}

/** Noise that returns the given draws in order (the order releaseAggregate draws them in). */
function scripted(draws: readonly number[]): GaussianNoise & { left: () => number } {
  let next = 0;
  const noise = () => {
    const draw = draws[next++];
    if (draw === undefined) throw new Error(`scripted noise ran out after ${draws.length} draws`);
    return draw;
  };
  return Object.assign(noise, { left: () => draws.length - next });
}

const cell = (key: (string | null)[], subjects: number, rows = subjects, sums: Record<string, number> = {}): TrueCell => ({ key, subjects, rows, sums });

/** Counts only, declared keys, min_count 11: each cell draws one noise value (its subjects). */
const COUNTS: PlanInput = { rho: 0.05, maxRowsPerSubject: 1, rows: false, sums: [], partitionSelection: false, delta: 1e-7, minCount: 11 };

/** Whether `value`'s interval holds `truth` (with a little room for the six-decimal rounding). */
const covers = (value: NoisyValue | null | undefined, truth: number): boolean => value != null && value.low <= truth + 1e-6 && truth - 1e-6 <= value.high;

describe('which cells show', () => {
  it('returns every declared key in order, a suppressed or absent one with null values, both alike', () => {
    const plan = planAggregate({ ...COUNTS, rows: true, sums: [{ column: 'cost', min: 0, max: 1000 }] });
    const declared = [['icu'], ['surgery'], ['maternity'], ['oncology']];
    const truth = [cell(['surgery'], 40, 50, { cost: 9000 }), cell(['icu'], 12, 12, { cost: 100 }), cell(['oncology'], 3, 3, { cost: 7 })];
    // Draws: icu subjects (−5: 7 < 11, suppressed); surgery subjects, rows, cost; maternity (absent,
    // +2: suppressed); oncology (+20: 23 ≥ 11, shown though only 3 people are in it), rows, cost.
    const noise = scripted([-5, 0, 1, 2, 2, 20, 0, 0]);
    const released = releaseAggregate(plan, truth, declared, noise);
    expect(noise.left()).toBe(0);
    expect(released.cells.map((c) => c.key)).toEqual(declared);
    const [icu, surgery, maternity, oncology] = released.cells as [ReleasedCell, ReleasedCell, ReleasedCell, ReleasedCell];
    expect(icu).toEqual({ key: ['icu'], subjects: null, rows: null, sums: { cost: null }, avgs: { cost: null }, suppressed: true });
    // A suppressed cell with people in it and one with nobody look the same: no existence leak.
    expect({ ...maternity, key: icu.key }).toEqual(icu);
    expect(surgery.suppressed).toBe(false);
    expect(surgery.subjects?.value).toBe(40);
    expect(surgery.rows?.value).toBe(51);
    // cost: bound 1000, unit 1, so the sum is 9000 + 2 units.
    expect(surgery.sums['cost']?.value).toBe(9002);
    expect(surgery.avgs['cost']?.value).toBeCloseTo(9002 / 51, 6);
    expect(oncology.subjects?.value).toBe(23);
    expect(released.other).toBeNull();
  });

  it('with keys from the data, leaves out cells below the threshold and counts their people in "other"', () => {
    const plan = planAggregate({ ...COUNTS, partitionSelection: true, minCount: 2 });
    const t = plan.threshold;
    expect(t).toBe(plan.partitionThreshold);
    const truth = [cell(['a'], t + 30), cell(['b'], t - 1), cell(['c'], t + 2), cell(['d'], 1), cell(['e'], t)];
    // a: +0 shown; b: +1 reaches t, shown; c: −3 falls below, hidden; d: +0 hidden; e: −1 hidden; other: +4.
    const noise = scripted([0, 1, -3, 0, -1, 4]);
    const released = releaseAggregate(plan, truth, null, noise);
    expect(noise.left()).toBe(0);
    expect(released.cells.map((c) => [c.key[0], c.subjects?.value])).toEqual([
      ['a', t + 30],
      ['b', t],
    ]);
    expect(released.cells.every((c) => !c.suppressed)).toBe(true);
    // Hidden: c (t + 2), d (1), e (t) true subjects, plus the "other" draw.
    expect(released.other?.value).toBe(t + 2 + 1 + t + 4);
    expect(released.other).toEqual({ value: 2 * t + 7, low: 2 * t + 7 - plan.other!.halfWidth95, high: 2 * t + 7 + plan.other!.halfWidth95 });
  });

  it('never shows an absent key: without declared keys only keys from the data can appear', () => {
    const plan = planAggregate({ ...COUNTS, partitionSelection: true });
    const released = releaseAggregate(plan, [], null, seededNoise('absent'));
    expect(released.cells).toEqual([]);
    expect(released.other).not.toBeNull();
  });

  /**
   * The planted bug: the same release, but suppression decided on the true count (a cell of
   * 10 people is always hidden, one of 11 always shown). Built from the real function with the
   * threshold switched off, then the true count applied.
   */
  const thresholdsTrueCount: typeof releaseAggregate = (plan, truth, declared, noise) => {
    const all = releaseAggregate({ ...plan, threshold: Number.NEGATIVE_INFINITY }, truth, declared, noise);
    const trueCount = new Map(truth.map((c) => [keyOf(c.key), c.subjects]));
    const shown = (c: ReleasedCell) => (trueCount.get(keyOf(c.key)) ?? 0) >= plan.threshold;
    const hidden = (c: ReleasedCell): ReleasedCell => ({ key: c.key, subjects: null, rows: null, sums: {}, avgs: {}, suppressed: true });
    return { cells: all.cells.flatMap((c) => (shown(c) ? [c] : declared ? [hidden(c)] : [])), other: all.other };
  };

  /** Cells whose suppression disagrees with true count + its subjects draw (scripted). */
  function wrongDecisions(release: typeof releaseAggregate): string[] {
    const plan = planAggregate(COUNTS);
    const truth = [cell(['a'], 10), cell(['b'], 11), cell(['c'], 12), cell(['d'], 30)];
    const draws = [1, -1, 0, -20];
    const released = release(plan, truth, [['a'], ['b'], ['c'], ['d']], scripted(draws));
    return truth.flatMap((c, i) => {
      const expectShown = c.subjects + draws[i]! >= plan.threshold;
      const got = released.cells.find((r) => r.key[0] === c.key[0]);
      return got && got.suppressed === !expectShown ? [] : [`${c.key[0]}: true ${c.subjects}, noisy ${c.subjects + draws[i]!}, suppressed ${got?.suppressed}`];
    });
  }

  it('decides suppression on the noisy count, not the true count (catches the planted true-count threshold)', () => {
    expect(wrongDecisions(releaseAggregate)).toEqual([]);
    expect(wrongDecisions(thresholdsTrueCount)).toEqual([
      'a: true 10, noisy 11, suppressed true',
      'b: true 11, noisy 10, suppressed false',
      'd: true 30, noisy 10, suppressed false',
    ]);
  });

  /** How often a 10-person cell shows, and an 11-person one hides, over many seeded trials. */
  function showRates(release: typeof releaseAggregate, trials: number): { ten: number; eleven: number } {
    const plan = planAggregate(COUNTS);
    const noise = seededNoise('suppression-rates');
    let ten = 0;
    let eleven = 0;
    for (let i = 0; i < trials; i++) {
      const released = release(plan, [cell(['ten'], 10), cell(['eleven'], 11)], [['ten'], ['eleven']], noise);
      if (!released.cells[0]!.suppressed) ten++;
      if (!released.cells[1]!.suppressed) eleven++;
    }
    return { ten: ten / trials, eleven: eleven / trials };
  }

  it('shows a cell just below min_count as often as its noise says, over 1,000 seeded trials (catches the planted true-count threshold)', () => {
    const plan = planAggregate(COUNTS);
    // Oracle from the exact distribution: shown when 10 + Z ≥ 11, i.e. Z ≥ 1; 11 + Z ≥ 11, i.e. Z ≥ 0.
    let pOne = 0;
    for (let z = 1; z <= 40 * plan.subjects.sigma; z++) pOne += discreteGaussianPmf(z, plan.subjects.sigma);
    const pZero = pOne + discreteGaussianPmf(0, plan.subjects.sigma);
    const trials = 1000;
    const tolerance = (p: number) => 4 * Math.sqrt((p * (1 - p)) / trials);
    const real = showRates(releaseAggregate, trials);
    expect(Math.abs(real.ten - pOne)).toBeLessThan(tolerance(pOne));
    expect(Math.abs(real.eleven - pZero)).toBeLessThan(tolerance(pZero));
    const planted = showRates(thresholdsTrueCount, trials);
    expect(planted).toEqual({ ten: 0, eleven: 1 });
    expect(Math.abs(planted.ten - pOne)).toBeGreaterThan(tolerance(pOne));
  });
});

describe('released values', () => {
  it('floors counts at 0 but not sums, whatever the sum’s unit (catches flooring sums whose unit is 1)', () => {
    // Bound 5000 gives unit 1, the unit counts have: the first version floored such sums at 0.
    const plan = planAggregate({ ...COUNTS, rows: true, sums: [{ column: 'balance', min: -5000, max: 1000 }] });
    expect(plan.sums.get('balance')?.unit).toBe(1);
    const released = releaseAggregate(plan, [cell(['x'], 30, 30, { balance: -20_000 })], [['x']], scripted([0, -40, 0]));
    const [x] = released.cells;
    expect(x?.rows).toEqual({ value: 0, low: 0, high: -10 + plan.rows!.halfWidth95 });
    expect(x?.sums['balance']?.value).toBe(-20_000);
    expect(x?.sums['balance']?.low).toBe(-20_000 - plan.sums.get('balance')!.halfWidth95);
    // No rows left after noise: no average.
    expect(x?.avgs['balance']).toBeNull();
  });

  it('clamps an average to the measure’s bounds and gives the whole range when the row count may be 0', () => {
    const plan = planAggregate({ ...COUNTS, rows: true, sums: [{ column: 'cost', min: 0, max: 1000 }] });
    expect(plan.rows!.halfWidth975).toBeGreaterThan(10);
    // 10 people (+5: shown), 10 rows + 0, sum 100,000 + 0 units: 10,000 a row, clamped to 1000; the
    // rows' 97.5% interval reaches 0, so the average could be anything in the bounds.
    const small = releaseAggregate(plan, [cell(['x'], 10, 10, { cost: 100_000 })], [['x']], scripted([5, 0, 0]));
    expect(small.cells[0]?.avgs['cost']).toEqual({ value: 1000, low: 0, high: 1000 });
    // 100 rows: the interval is computed, then clamped to the bounds.
    const large = releaseAggregate(plan, [cell(['x'], 100, 100, { cost: 50_000 })], [['x']], scripted([0, 0, 0])).cells[0]?.avgs['cost'];
    expect(large?.value).toBe(500);
    expect(large?.low).toBeGreaterThan(0);
    expect(large?.low).toBeLessThan(500);
    expect(large?.high).toBeGreaterThan(500);
    expect(large?.high).toBeLessThanOrEqual(1000);
  });
});

describe('95% intervals cover the truth at their stated rate (2,000 seeded trials of one cell)', () => {
  // m = 3, two measures with different units (cost: bound 5000 → unit 1; stay: bound 60 → 0.01).
  const INPUT: PlanInput = {
    rho: 0.05,
    maxRowsPerSubject: 3,
    rows: true,
    sums: [
      { column: 'cost', min: 0, max: 5000 },
      { column: 'stay', min: 0, max: 60 },
    ],
    partitionSelection: false,
    delta: 1e-7,
    minCount: 11,
  };
  const TRUTH = cell(['ward'], 400, 900, { cost: 1_234_567, stay: 250_000 });
  const TRIALS = 2000;
  // One-sided binomial tolerance: 3 standard deviations below 95% at 2,000 trials is 0.9354.
  const FLOOR = 0.95 - 3 * Math.sqrt((0.95 * 0.05) / TRIALS);

  /** Coverage of each released statistic over TRIALS releases with `plan`. */
  function coverage(plan: AggregatePlan, seed: string) {
    const noise = seededNoise(seed);
    const hits = { subjects: 0, rows: 0, cost: 0, stay: 0, avgCost: 0, avgStay: 0 };
    let avgCostWidth = 0;
    const unit = (column: string) => plan.sums.get(column)!.unit;
    const trueSum = (column: string) => TRUTH.sums[column]! * unit(column);
    for (let i = 0; i < TRIALS; i++) {
      const c = releaseAggregate(plan, [TRUTH], [TRUTH.key], noise).cells[0]!;
      expect(c.suppressed).toBe(false);
      if (covers(c.subjects, TRUTH.subjects)) hits.subjects++;
      if (covers(c.rows, TRUTH.rows)) hits.rows++;
      if (covers(c.sums['cost'], trueSum('cost'))) hits.cost++;
      if (covers(c.sums['stay'], trueSum('stay'))) hits.stay++;
      if (covers(c.avgs['cost'], trueSum('cost') / TRUTH.rows)) hits.avgCost++;
      if (covers(c.avgs['stay'], trueSum('stay') / TRUTH.rows)) hits.avgStay++;
      avgCostWidth += c.avgs['cost']!.high - c.avgs['cost']!.low;
    }
    const rates = Object.fromEntries(Object.entries(hits).map(([k, v]) => [k, v / TRIALS])) as Record<keyof typeof hits, number>;
    return { rates, avgCostWidth: avgCostWidth / TRIALS };
  }

  /** P(|Z| ≤ h) from the pmf: the exact coverage an interval of half-width h must have. */
  function exactCoverage(h: number, sigma: number): number {
    let p = discreteGaussianPmf(0, sigma);
    for (let z = 1; z <= h; z++) p += 2 * discreteGaussianPmf(z, sigma);
    return p;
  }

  const plan = planAggregate(INPUT);
  const { rates, avgCostWidth } = coverage(plan, 'coverage');

  it.each(['subjects', 'rows', 'cost', 'stay'] as const)('%s: at least 0.95, and as often as the exact distribution says', (name) => {
    const stat = name === 'subjects' ? plan.subjects : name === 'rows' ? plan.rows! : plan.sums.get(name)!;
    const expected = exactCoverage(Math.round(stat.halfWidth95 / stat.unit), stat.sigma);
    expect(expected).toBeGreaterThanOrEqual(0.95);
    expect(rates[name]).toBeGreaterThanOrEqual(FLOOR);
    expect(Math.abs(rates[name] - expected)).toBeLessThan(4 * Math.sqrt((expected * (1 - expected)) / TRIALS));
  });

  it.each(['avgCost', 'avgStay'] as const)('%s: the average’s interval covers the true average at least 0.95 of the time', (name) => {
    expect(rates[name]).toBeGreaterThanOrEqual(FLOOR);
  });

  it('the average’s interval is informative, not the whole range of the measure', () => {
    expect(avgCostWidth).toBeLessThan(0.5 * 5000);
  });

  it('catches the planted bug of half-width intervals (about 68% coverage)', () => {
    const halve = <S extends PlannedStatistic>(s: S): S => ({ ...s, halfWidth95: s.halfWidth95 / 2, halfWidth975: s.halfWidth975 / 2 });
    const planted: AggregatePlan = {
      ...plan,
      subjects: halve(plan.subjects),
      rows: halve(plan.rows!),
      sums: new Map([...plan.sums].map(([column, s]) => [column, halve(s)])),
    };
    const bad = coverage(planted, 'coverage').rates;
    for (const name of ['subjects', 'rows', 'cost', 'stay', 'avgCost', 'avgStay'] as const) expect(bad[name]).toBeLessThan(FLOOR);
  });
});
