import { maxOf, minOf } from '@airlock/core';
import type { AggregatePlan, PlannedStatistic } from './plan.ts';

/** True (bounded) figures of one cell, as the database computed them. */
export interface TrueCell {
  /** The cell's key: dimension values in order, then the period (null without a date bucket). */
  key: readonly (string | null)[];
  subjects: number;
  rows: number;
  /** Sums of clamped values in the plan's units, by measure column. */
  sums: Readonly<Record<string, number>>;
}

/** A released value with its interval. */
export interface NoisyValue {
  value: number;
  low: number;
  high: number;
}

export interface ReleasedCell {
  key: readonly (string | null)[];
  /** Null when suppressed. */
  subjects: NoisyValue | null;
  rows: NoisyValue | null;
  sums: Record<string, NoisyValue | null>;
  avgs: Record<string, NoisyValue | null>;
  suppressed: boolean;
}

export interface ReleasedAggregate {
  cells: ReleasedCell[];
  /** Noisy count of subject-cells not shown (null when every group key was declared). */
  other: NoisyValue | null;
}

/** Draws integer noise: the discrete Gaussian of scale σ. */
export type GaussianNoise = (sigma: number) => number;

/**
 * Add noise to every cell and decide what shows, as post-processing of the noisy counts only:
 * with declared keys every key is returned (a cell whose noisy count is below the threshold is
 * marked suppressed, exactly as one with nobody in it would be); with keys from the data, a cell
 * below the threshold is left out, as an absent one is, and its people go to the "other" total.
 */
export function releaseAggregate(plan: AggregatePlan, truth: readonly TrueCell[], declaredKeys: readonly (readonly (string | null)[])[] | null, noise: GaussianNoise): ReleasedAggregate {
  const byKey = new Map(truth.map((cell) => [keyOf(cell.key), cell]));
  const keys = declaredKeys ?? truth.map((cell) => cell.key);
  const cells: ReleasedCell[] = [];
  let hiddenSubjects = 0;
  for (const key of keys) {
    const cell = byKey.get(keyOf(key)) ?? { key, subjects: 0, rows: 0, sums: {} };
    const subjects = cell.subjects + noise(plan.subjects.sigma);
    if (subjects < plan.threshold) {
      hiddenSubjects += cell.subjects;
      if (declaredKeys) cells.push({ key, subjects: null, rows: null, sums: nulls(plan), avgs: nulls(plan), suppressed: true });
      continue;
    }
    const rows = plan.rows ? noisy(cell.rows, plan.rows, noise, 0) : null;
    const sums: Record<string, NoisyValue | null> = {};
    const avgs: Record<string, NoisyValue | null> = {};
    for (const [column, stat] of plan.sums) {
      // Sums may be negative (a measure may have a negative min), so they are not floored.
      const sum = noisy(cell.sums[column] ?? 0, stat, noise, Number.NEGATIVE_INFINITY);
      sums[column] = sum;
      avgs[column] = rows && plan.rows ? average(sum, rows, stat, plan.rows, stat.measure) : null;
    }
    cells.push({ key, subjects: interval(subjects, plan.subjects.halfWidth95, 0), rows, sums, avgs, suppressed: false });
  }
  const other = plan.other ? interval(hiddenSubjects + noise(plan.other.sigma), plan.other.halfWidth95, 0) : null;
  return { cells, other };
}

function noisy(trueUnits: number, stat: PlannedStatistic, noise: GaussianNoise, floor: number): NoisyValue {
  return interval((trueUnits + noise(stat.sigma)) * stat.unit, stat.halfWidth95, floor);
}

/** Counts are never negative, so a released count and its interval start at 0 (post-processing). */
function interval(value: number, halfWidth: number, floor: number): NoisyValue {
  const v = Math.max(floor, value);
  return { value: round(v), low: round(Math.max(floor, value - halfWidth)), high: round(value + halfWidth) };
}

/**
 * Average = noisy sum / noisy rows, clamped to the measure's bounds. Its interval joins the 97.5%
 * intervals of both, so it covers the true average at least 95% of the time.
 */
function average(sum: NoisyValue, rows: NoisyValue, sumStat: PlannedStatistic, rowStat: PlannedStatistic, bounds: { min: number; max: number }): NoisyValue | null {
  if (rows.value < 1) return null;
  const clamp = (x: number) => Math.min(bounds.max, Math.max(bounds.min, x));
  const value = clamp(sum.value / rows.value);
  const rowsLow = rows.value - rowStat.halfWidth975;
  const sumLow = sum.value - sumStat.halfWidth975;
  const sumHigh = sum.value + sumStat.halfWidth975;
  const rowsHigh = rows.value + rowStat.halfWidth975;
  if (rowsLow <= 0) return { value: round(value), low: bounds.min, high: bounds.max };
  const candidates = [sumLow / rowsLow, sumLow / rowsHigh, sumHigh / rowsLow, sumHigh / rowsHigh];
  return { value: round(value), low: round(clamp(minOf(candidates))), high: round(clamp(maxOf(candidates))) };
}

function nulls(plan: AggregatePlan): Record<string, null> {
  return Object.fromEntries([...plan.sums.keys()].map((column) => [column, null]));
}

/** The map key of a cell key. */
export function keyOf(key: readonly (string | null)[]): string {
  return JSON.stringify(key);
}

/** Six decimals: sums of units like 0.01 carry binary noise such as 12.340000000000002. */
function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
