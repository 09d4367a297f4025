import { AirlockError } from '@airlock/core';

/** The label every hierarchy ends with: the column says nothing. */
export const SUPPRESSED_VALUE = '*';

/**
 * How a column may be generalized, level by level, from the value the deidentified zone holds
 * (level 0) to {@link SUPPRESSED_VALUE} (the last level, added to every hierarchy).
 *
 * - `numeric`: bands of the given widths (`[5, 10, 20]`: 40 → `40-44` → `40-49` → `40-59`;
 *   `auto`: a round width near 1/20 of the values' range, then ×2 and ×4);
 *   values at or above `topCode` are `<topCode>+` at every level above 0, and a band reaching
 *   the top code becomes `<lower>+` (`80+`).
 * - `prefix`: keep the first n characters, the rest as `*` (ZIP3 `941` with `[2, 1]`: `94*`, `9**`).
 * - `date`: up the calendar from the values' own grain: timestamp → day → month → quarter → year;
 *   a week goes to its year.
 * - `bucket`: labels of `bucketNumber(edges)`; each level merges pairs of neighbouring buckets.
 * - `groups`: each level maps a value (of the level below) to a group the policy declares; an
 *   unlisted value stays as it is.
 * - `flat`: straight to `*`.
 *
 * `maxLevel` caps how far the search may go (0: never generalize this column).
 */
export type HierarchySpec = (
  | { readonly kind: 'numeric'; readonly bands: readonly number[] | 'auto'; readonly topCode?: number | undefined }
  | { readonly kind: 'prefix'; readonly keep: readonly number[] }
  | { readonly kind: 'date' }
  | { readonly kind: 'bucket'; readonly edges: readonly number[] }
  | { readonly kind: 'groups'; readonly levels: readonly ReadonlyMap<string, string>[] }
  | { readonly kind: 'flat' }
) & { readonly maxLevel?: number | undefined };

/** One level of a hierarchy, over the dictionary of a column's level-0 values. */
export interface HierarchyLevel {
  /** What the level does, for reports (`5-year bands`, `quarter`, `*`). */
  readonly name: string;
  /** Level-0 code → code at this level. */
  readonly map: Int32Array;
  /** The label of each code at this level. */
  readonly labels: readonly (string | null)[];
  /**
   * Normalized certainty penalty of each code at this level: (level-0 values it covers − 1) /
   * (level-0 values of the column − 1); 0 at level 0, 1 for `*`.
   */
  readonly penalty: Float64Array;
}

/** A column's generalization levels, level 0 first (the identity) and `*` last. */
export interface Hierarchy {
  readonly levels: readonly HierarchyLevel[];
}

type Labeler = { readonly name: string; readonly label: (value: string | null) => string | null };

/**
 * Builds the levels of `spec` over a column's dictionary (its distinct level-0 values). A value
 * the spec cannot read (a non-number in a numeric hierarchy) is a `BAD_REQUEST` naming it.
 */
export function buildHierarchy(spec: HierarchySpec, dictionary: readonly (string | null)[]): Hierarchy {
  const labelers = [{ name: 'as published', label: (v: string | null) => v }, ...labelersOf(spec, dictionary), { name: SUPPRESSED_VALUE, label: () => SUPPRESSED_VALUE }];
  const cap = spec.maxLevel === undefined ? labelers.length - 1 : Math.max(0, Math.min(spec.maxLevel, labelers.length - 1));
  const levels = labelers.slice(0, cap + 1).map((labeler) => buildLevel(labeler, dictionary));
  return { levels };
}

function buildLevel(labeler: Labeler, dictionary: readonly (string | null)[]): HierarchyLevel {
  const map = new Int32Array(dictionary.length);
  const index = new Map<string | null, number>();
  const labels: (string | null)[] = [];
  const covered: number[] = [];
  dictionary.forEach((value, code) => {
    const label = labeler.label(value);
    let target = index.get(label);
    if (target === undefined) {
      target = labels.length;
      labels.push(label);
      covered.push(0);
      index.set(label, target);
    }
    covered[target]! += 1;
    map[code] = target;
  });
  const denominator = Math.max(1, dictionary.length - 1);
  const penalty = Float64Array.from(covered, (n) => (n - 1) / denominator);
  return { name: labeler.name, map, labels, penalty };
}

function labelersOf(spec: HierarchySpec, dictionary: readonly (string | null)[]): Labeler[] {
  switch (spec.kind) {
    case 'numeric':
      return (spec.bands === 'auto' ? autoBands(dictionary) : spec.bands).map((width) => numericLabeler(width, spec.topCode));
    case 'prefix':
      return spec.keep.map((keep) => ({ name: `first ${keep} character${keep === 1 ? '' : 's'}`, label: (v) => (v === null ? null : v.slice(0, keep) + '*'.repeat(Math.max(0, v.length - keep))) }));
    case 'date':
      return dateLabelers(dictionary);
    case 'bucket':
      return bucketLabelers(spec.edges);
    case 'groups':
      return spec.levels.map((groups, i) => ({ name: `groups (level ${i + 1})`, label: (v) => (v === null ? null : (groups.get(v) ?? v)) }));
    case 'flat':
      return [];
  }
}

/** Round widths (1, 2 or 5 × 10^n) near 1/20, 1/10 and 1/5 of the range of the numbers. */
function autoBands(dictionary: readonly (string | null)[]): number[] {
  const numbers = dictionary.flatMap((v) => (v === null || v.trim() === '' || !Number.isFinite(Number(v)) ? [] : [Number(v)]));
  if (numbers.length < 2) return [];
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const n of numbers) {
    low = Math.min(low, n);
    high = Math.max(high, n);
  }
  const range = high - low;
  if (!(range > 0)) return [];
  const raw = range / 20;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((w) => w >= raw) ?? 10 * magnitude;
  return [step, step * 2, step * 4];
}

function numericLabeler(width: number, topCode: number | undefined): Labeler {
  return {
    name: `${width}-wide bands`,
    label: (v) => {
      if (v === null) return null;
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) throw new AirlockError('BAD_REQUEST', `"${v}" is not a number, so it cannot be banded; class the column as categorical or fix the value`);
      if (topCode !== undefined && n >= topCode) return `${topCode}+`;
      const lower = Math.floor(n / width) * width;
      const upper = lower + width;
      if (topCode !== undefined && upper > topCode) return `${lower}+`;
      return Number.isInteger(n) && Number.isInteger(width) ? `${lower}-${upper - 1}` : `[${lower},${upper})`;
    },
  };
}

const DATE_FORMS = [
  ['timestamp', /^\d{4}-\d{2}-\d{2}T/u],
  ['day', /^\d{4}-\d{2}-\d{2}$/u],
  ['week', /^\d{4}-W\d{2}$/u],
  ['month', /^\d{4}-\d{2}$/u],
  ['quarter', /^\d{4}-Q\d$/u],
  ['year', /^\d{4}$/u],
] as const;

type DateForm = (typeof DATE_FORMS)[number][0];

const STEPS: Record<DateForm, readonly ('day' | 'month' | 'quarter' | 'year')[]> = {
  timestamp: ['day', 'month', 'quarter', 'year'],
  day: ['month', 'quarter', 'year'],
  week: ['year'],
  month: ['quarter', 'year'],
  quarter: ['year'],
  year: [],
};

function dateLabelers(dictionary: readonly (string | null)[]): Labeler[] {
  const first = dictionary.find((v) => v !== null);
  if (first === undefined || first === null) return [];
  const form = DATE_FORMS.find(([, pattern]) => pattern.test(first))?.[0];
  if (form === undefined) throw new AirlockError('BAD_REQUEST', `"${first}" is not a date the risk model can generalize (expected 2024-03-15, 2024-W11, 2024-03, 2024-Q1 or 2024)`);
  return STEPS[form].map((grain) => ({ name: grain, label: (v) => (v === null ? null : dateAt(v, grain)) }));
}

function dateAt(value: string, grain: 'day' | 'month' | 'quarter' | 'year'): string {
  const year = value.slice(0, 4);
  if (grain === 'year') return year;
  if (grain === 'day') return value.slice(0, 10);
  const quarter = /^\d{4}-Q\d$/u.test(value) ? Number(value.slice(6)) : Math.floor((Number(value.slice(5, 7)) - 1) / 3) + 1;
  if (grain === 'quarter') return `${year}-Q${quarter}`;
  return value.slice(0, 7);
}

function bucketLabelers(edges: readonly number[]): Labeler[] {
  const n = edges.length;
  const indexOf = new Map<string, number>();
  indexOf.set(`<${edges[0]}`, 0);
  for (let i = 1; i < n; i++) indexOf.set(`[${edges[i - 1]},${edges[i]})`, i);
  indexOf.set(`>=${edges[n - 1]}`, n);
  const out: Labeler[] = [];
  for (let span = 2; span <= n; span *= 2) {
    out.push({
      name: `${span} neighbouring buckets`,
      label: (v) => {
        if (v === null) return null;
        const i = indexOf.get(v);
        if (i === undefined) return v;
        const a = Math.floor(i / span) * span;
        const b = Math.min(n, a + span - 1);
        const lower = a === 0 ? undefined : edges[a - 1];
        const upper = b === n ? undefined : edges[b];
        if (lower === undefined && upper === undefined) return SUPPRESSED_VALUE;
        if (lower === undefined) return `<${upper}`;
        if (upper === undefined) return `>=${lower}`;
        return `[${lower},${upper})`;
      },
    });
  }
  return out;
}
