import { AirlockError } from '@airlock/core';
import { discreteGaussianHalfWidth, discreteGaussianPmf } from '@airlock/noise';
import { epsilonFromRho, sigmaForRho } from './zcdp.ts';

/** A measure with the bounds its values are clamped to before summing. */
export interface BoundedMeasure {
  readonly column: string;
  readonly min: number;
  readonly max: number;
}

/** What one aggregate query releases; each statistic is charged a share of the query's ρ. */
export interface PlanInput {
  /** ρ the whole query spends. */
  rho: number;
  /** Contribution bound: at most this many rows of a subject count in the query. */
  maxRowsPerSubject: number;
  /** Whether row counts are released (also needed for averages). */
  rows: boolean;
  /** Measures whose sums are released (also needed for averages). */
  sums: readonly BoundedMeasure[];
  /** Group keys come from the data (not declared): partition selection and an "other" total. */
  partitionSelection: boolean;
  /** δ of the (ε, δ) report; with partition selection half of it bounds the selection. */
  delta: number;
  /** Cells with a noisy count of subjects below this are suppressed. */
  minCount: number;
}

/** How one statistic is noised. */
export interface PlannedStatistic {
  /** ρ charged to this statistic. */
  rho: number;
  /** Values are released in multiples of `unit` (1 for counts). */
  unit: number;
  /** σ of the discrete Gaussian, in units. */
  sigma: number;
  /** L2 sensitivity in units. */
  l2: number;
  /** Half-widths of the 95% and 97.5% intervals, in the statistic's own scale (units × unit). */
  halfWidth95: number;
  halfWidth975: number;
}

export interface AggregatePlan {
  rho: number;
  epsilon: number;
  delta: number;
  subjects: PlannedStatistic;
  rows: PlannedStatistic | null;
  sums: ReadonlyMap<string, PlannedStatistic & { measure: BoundedMeasure }>;
  /** People in cells that are not shown (partition selection), or null when every key is declared. */
  other: PlannedStatistic | null;
  /** Noisy subjects a cell needs to be shown: max(minCount, partition threshold). */
  threshold: number;
  /** The partition-selection threshold on its own (null without partition selection). */
  partitionThreshold: number | null;
}

// Relative weights of the query's ρ: the "other" total needs less accuracy than the cells.
const WEIGHT = { subjects: 1, rows: 1, sum: 1, other: 0.25 } as const;

/**
 * The noise of every statistic of an aggregate query, from its ρ. Sensitivities, with m the
 * contribution bound: a subject is in at most m cells, adding 1 to each count of subjects
 * (L2 √m); its m rows add at most m to row counts (L2 ≤ m); each clamped value adds at most
 * C = max(|min|, |max|) to a sum (L2 ≤ m·C); and at most m to the "other" total.
 */
export function planAggregate(input: PlanInput): AggregatePlan {
  if (!(input.rho > 0) || !Number.isFinite(input.rho)) throw new AirlockError('BAD_REQUEST', `A query's privacy cost must be a positive ρ; got ${input.rho}.`);
  const m = input.maxRowsPerSubject;
  const weights = WEIGHT.subjects + (input.rows ? WEIGHT.rows : 0) + WEIGHT.sum * input.sums.length + (input.partitionSelection ? WEIGHT.other : 0);
  const share = (w: number) => (input.rho * w) / weights;
  const subjects = statistic(Math.sqrt(m), 1, share(WEIGHT.subjects));
  const rows = input.rows ? statistic(m, 1, share(WEIGHT.rows)) : null;
  const sums = new Map(
    input.sums.map((measure) => {
      const bound = Math.max(Math.abs(measure.min), Math.abs(measure.max));
      const unit = measureUnit(bound);
      return [measure.column, { ...statistic((m * bound) / unit, unit, share(WEIGHT.sum)), measure }] as const;
    }),
  );
  const other = input.partitionSelection ? statistic(m, 1, share(WEIGHT.other)) : null;
  const selectionDelta = input.partitionSelection ? input.delta / 2 : 0;
  const partitionThreshold = input.partitionSelection ? selectionThreshold(subjects.sigma, m, selectionDelta) : null;
  return {
    rho: input.rho,
    epsilon: epsilonFromRho(input.rho, input.delta - selectionDelta),
    delta: input.delta,
    subjects,
    rows,
    sums,
    other,
    threshold: Math.max(input.minCount, partitionThreshold ?? 0),
    partitionThreshold,
  };
}

function statistic(l2: number, unit: number, rho: number): PlannedStatistic {
  const sigma = sigmaForRho(l2, rho);
  return {
    rho,
    unit,
    sigma,
    l2,
    halfWidth95: discreteGaussianHalfWidth(sigma, 0.95) * unit,
    halfWidth975: discreteGaussianHalfWidth(sigma, 0.975) * unit,
  };
}

/**
 * Sums are computed on a grid of a thousandth of the bound (rounded to a power of ten), so they
 * are integers for the discrete Gaussian; rounding moves a sum far less than the noise does.
 */
export function measureUnit(bound: number): number {
  if (bound <= 0) return 1;
  return 10 ** (Math.floor(Math.log10(bound)) - 3);
}

/**
 * Partition selection (Desfontaines et al., PoPETs 2022, with Gaussian noise): a group that
 * exists only because of one subject has at most 1 subject, and that subject is in at most m
 * groups. Showing a group only when its noisy count reaches τ makes the chance that any of them
 * shows at most m·P(Z ≥ τ − 1) ≤ δ. τ is the smallest whole number that does it.
 */
export function selectionThreshold(sigma: number, m: number, delta: number): number {
  let tail = 0;
  // Walk down from far in the tail, adding probability mass, until it would exceed δ/m.
  const far = Math.ceil(sigma * 40) + 2;
  for (let k = far; k >= 0; k--) {
    const next = tail + discreteGaussianPmf(k, sigma);
    if (m * next > delta) return k + 2; // P(Z ≥ k + 1) ≤ δ/m, so τ − 1 = k + 1.
    tail = next;
  }
  return 1;
}

/** The ρ that makes the 95% half-width of a statistic of L2 sensitivity `l2` at most `halfWidth` (in units). */
export function rhoForHalfWidth(l2: number, halfWidth: number): number {
  if (!(halfWidth > 0)) throw new AirlockError('BAD_REQUEST', `A target accuracy must be a positive half-width; got ${halfWidth}.`);
  // The largest σ whose exact discrete half-width meets the target (the half-width grows with σ).
  // Start from the continuous Gaussian (1.96σ), step down until it fits, then bisect upwards:
  // half-widths are whole numbers, so for small targets σ can be well above target/1.96
  // (at ±3, 1.81 rather than 1.53: 40% less ρ).
  const fits = (sigma: number) => discreteGaussianHalfWidth(sigma, 0.95) <= halfWidth;
  let lo = halfWidth / 1.96;
  while (!fits(lo) && lo > 1e-3) lo *= 0.98;
  let hi = lo * 1.25;
  while (fits(hi)) hi *= 1.25;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  // A hair below the boundary, so σ recomputed from this ρ still fits after rounding.
  const sigma = lo * (1 - 1e-9);
  return (l2 * l2) / (2 * sigma * sigma);
}

/** The statistic a target accuracy is stated for. */
export type AccuracyTarget = { statistic: 'subjects' | 'rows'; halfWidth: number } | { statistic: 'sum'; measure: string; halfWidth: number };

/**
 * The query ρ that gives `target` its 95% half-width, with the same split between statistics as
 * {@link planAggregate} makes: so an analyst can ask for "±10 people" instead of choosing ρ.
 */
export function rhoForAccuracy(input: Omit<PlanInput, 'rho'>, target: AccuracyTarget): number {
  const m = input.maxRowsPerSubject;
  const weights = WEIGHT.subjects + (input.rows ? WEIGHT.rows : 0) + WEIGHT.sum * input.sums.length + (input.partitionSelection ? WEIGHT.other : 0);
  switch (target.statistic) {
    case 'subjects':
      return (rhoForHalfWidth(Math.sqrt(m), target.halfWidth) * weights) / WEIGHT.subjects;
    case 'rows':
      if (!input.rows) throw new AirlockError('BAD_REQUEST', 'A target accuracy for rows needs the query to ask for rows.');
      return (rhoForHalfWidth(m, target.halfWidth) * weights) / WEIGHT.rows;
    case 'sum': {
      const measure = input.sums.find((s) => s.column === target.measure);
      if (!measure) throw new AirlockError('BAD_REQUEST', `A target accuracy for the sum of ${target.measure} needs the query to ask for that sum.`);
      const bound = Math.max(Math.abs(measure.min), Math.abs(measure.max));
      const unit = measureUnit(bound);
      return (rhoForHalfWidth((m * bound) / unit, target.halfWidth / unit) * weights) / WEIGHT.sum;
    }
  }
}
