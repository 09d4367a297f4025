import type { DiscreteColumnModel, NumericColumnModel } from './model.ts';
import { OTHER_CATEGORY } from './model.ts';
import type { ColumnData, DiscreteKind, NumericKind } from './values.ts';

/** A column turned into small integer states, plus how to turn states back into values. */
export interface EncodedColumn {
  readonly model: DiscreteColumnModel | NumericColumnModel;
  /** State of each training row. */
  readonly codes: Int32Array;
  readonly states: number;
}

export interface DiscretizeOptions {
  /** Categories seen fewer times are folded into {@link OTHER_CATEGORY}. */
  readonly minCategoryCount: number;
  /** Equal-frequency bins per numeric column (ties can merge bins). */
  readonly numericBins: number;
  /** Inverse-CDF knots per bin (plus one). */
  readonly knotsPerBin: number;
}

export function encodeColumn(data: ColumnData, options: DiscretizeOptions): EncodedColumn {
  return data.kind === 'discrete'
    ? encodeDiscrete(data.values, data.column.name, data.column.kind as DiscreteKind, options.minCategoryCount)
    : encodeNumeric(data.values, data.column.name, data.column.kind as NumericKind, options);
}

function encodeDiscrete(values: readonly (string | null)[], name: string, kind: DiscreteKind, minCount: number): EncodedColumn {
  const counts = new Map<string | null, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  // Most frequent first, ties by text, so the state order (and the model JSON) is deterministic.
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || compareNullable(a[0], b[0]));
  const states: (string | null)[] = [];
  let folded = 0;
  for (const [value, count] of ranked) {
    // Privacy: a value seen fewer than min_count times could single a person out, so it never
    // reaches the model. Null is kept: it says a cell was empty, not who someone is.
    if (value === null || count >= minCount) states.push(value);
    else folded++;
  }
  if (folded > 0) states.push(OTHER_CATEGORY);
  const index = new Map<string | null, number>(states.map((value, i) => [value, i]));
  const otherState = folded > 0 ? states.length - 1 : -1;
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = index.get(values[i]!) ?? otherState;
  return { model: { name, kind, states, foldedValues: folded }, codes, states: states.length };
}

function compareNullable(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

function encodeNumeric(values: Float64Array, name: string, kind: NumericKind, options: DiscretizeOptions): EncodedColumn {
  const present = values.filter((value) => !Number.isNaN(value)).sort();
  const n = present.length;
  // Cut points at equal-frequency ranks; ties collapse them, so a spike (e.g. many zeros) is one bin.
  const cuts: number[] = [];
  for (let j = 1; j < options.numericBins; j++) {
    const cut = present[Math.floor((j * n) / options.numericBins)];
    if (cut !== undefined && cut > present[0]! && cut !== cuts[cuts.length - 1]) cuts.push(cut);
  }
  const binOf = (value: number): number => upperBound(cuts, value);
  const bins = n === 0 ? 0 : cuts.length + 1;
  const members: number[][] = Array.from({ length: bins }, () => []);
  for (const value of present) members[binOf(value)]!.push(value);
  const states: (number[] | null)[] = members.map((sorted) => knots(sorted, options.knotsPerBin));
  const hasNull = n < values.length;
  if (hasNull) states.push(null);
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    codes[i] = Number.isNaN(value) ? bins : binOf(value);
  }
  return { model: { name, kind, states, step: resolution(present, kind), offsetFrom: null }, codes, states: states.length };
}

// Candidate resolutions, coarsest first: timestamps in milliseconds, plain numbers in decimals.
const TIMESTAMP_STEPS = [86_400_000, 3_600_000, 60_000, 1_000, 1];
const DECIMAL_STEPS = [1, 0.1, 0.01, 0.001, 1e-4, 1e-5, 1e-6];

/** The coarsest step every value is a multiple of (0 when none fits: no rounding). */
function resolution(values: Float64Array, kind: NumericKind): number {
  if (kind === 'integer' || kind === 'date') return 1;
  const candidates = kind === 'timestamp' ? TIMESTAMP_STEPS : DECIMAL_STEPS;
  for (const step of candidates) {
    let fits = true;
    for (const value of values) {
      const ratio = value / step;
      if (Math.abs(ratio - Math.round(ratio)) > 1e-9 * Math.max(1, Math.abs(ratio))) {
        fits = false;
        break;
      }
    }
    if (fits) return step;
  }
  return 0;
}

/** Round to a step; steps below 1 go through decimal text so 0.1 + 0.2 prints as 0.3. */
export function roundToStep(value: number, step: number): number {
  if (!(step > 0)) return value;
  if (step >= 1) return Math.round(value / step) * step;
  const decimals = Math.round(-Math.log10(step));
  return Number((Math.round(value / step) * step).toFixed(decimals));
}

/** Number of cuts ≤ value (cuts sorted ascending). */
function upperBound(cuts: readonly number[], value: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Quantiles of sorted values at levels 0, 1/k, …, 1 (linear interpolation between order statistics). */
function knots(sorted: readonly number[], k: number): number[] {
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  if (first === last) return [first];
  const out: number[] = [];
  for (let j = 0; j <= k; j++) {
    const position = (j / k) * (sorted.length - 1);
    const below = Math.floor(position);
    const low = sorted[below]!;
    const high = sorted[Math.min(below + 1, sorted.length - 1)]!;
    out.push(low + (high - low) * (position - below));
  }
  return out;
}

/** Inverse CDF through the knots at u in [0, 1). */
export function interpolateKnots(knotValues: readonly number[], u: number): number {
  if (knotValues.length === 1) return knotValues[0]!;
  const position = u * (knotValues.length - 1);
  const below = Math.floor(position);
  const low = knotValues[below]!;
  const high = knotValues[Math.min(below + 1, knotValues.length - 1)]!;
  return low + (high - low) * (position - below);
}
