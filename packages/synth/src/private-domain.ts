import { AirlockError } from '@airlock/core';
import { discreteGaussian, type RandomBits } from '@airlock/noise';
import { selectionThreshold } from '@airlock/privacy';
import { OTHER_CATEGORY } from './model.ts';
import type { DiscreteColumnModel, NumericColumnModel } from './model.ts';
import type { SynthColumn } from './types.ts';
import type { ColumnData } from './values.ts';

/**
 * What the differentially private generator may know about a column without looking at the data:
 * - `values`: the declared categories (the policy's `values:`); anything else reads as null;
 * - `range`: public bounds in the column's units (numbers; days for dates; milliseconds for
 *   timestamps), cut into `bins` equal-width bins; values outside are clamped to the edge bins.
 *   With `after`, the column is modelled as its difference from that column (e.g. discharge
 *   after admission), and min/max bound the difference.
 * A categorical column with no declared values has its categories chosen privately (see
 * {@link selectCategories}).
 */
export type PublicDomain =
  | { readonly kind: 'values'; readonly values: readonly string[] }
  | { readonly kind: 'range'; readonly min: number; readonly max: number; readonly bins: number; readonly after?: string | undefined };

/** A column's states in the private model, and each bounded row's state. */
export interface PrivateColumn {
  readonly model: DiscreteColumnModel | NumericColumnModel;
  readonly codes: Int32Array;
  readonly states: number;
}

/** Resolution of sampled values per kind: whole numbers, cents, days, seconds. */
const STEP = { integer: 1, numeric: 0.01, date: 1, timestamp: 1000 } as const;

/** A discrete column over public states: the declared values (or booleans) and null. */
export function encodeDeclared(data: ColumnData, values: readonly string[]): PrivateColumn {
  const states: (string | null)[] = [...values, null];
  return encodeStates(data, states, states.length - 1);
}

/**
 * A categorical column's categories chosen privately: the noisy count of distinct subjects having
 * each value (σ from the caller's ρ share) must reach the partition-selection threshold τ, so a
 * value only one subject has shows with probability at most δ overall (Desfontaines et al. 2022).
 * At most `maxCategories` survive, by noisy count; the rest read as {@link OTHER_CATEGORY}.
 */
export function selectCategories(
  data: ColumnData,
  subjects: Int32Array,
  options: { sigma: number; maxRowsPerSubject: number; delta: number; maxCategories: number; bits: RandomBits },
): { column: PrivateColumn; threshold: number } {
  if (data.kind !== 'discrete') throw new AirlockError('INTERNAL', `selectCategories on numeric column ${data.column.name}`);
  const seen = new Map<string, Set<number>>();
  data.values.forEach((value, i) => {
    if (value === null) return;
    let holders = seen.get(value);
    if (holders === undefined) seen.set(value, (holders = new Set()));
    holders.add(subjects[i]!);
  });
  const threshold = selectionThreshold(options.sigma, options.maxRowsPerSubject, options.delta);
  // Sorted first so the noise draws, and the model, do not depend on the order rows came in.
  const noisy = [...seen.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([value, holders]) => ({ value, count: holders.size + discreteGaussian(options.sigma, options.bits) }))
    .filter((entry) => entry.count >= threshold)
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
    .slice(0, options.maxCategories);
  const states: (string | null)[] = [...noisy.map((entry) => entry.value), OTHER_CATEGORY, null];
  return { column: encodeStates(data, states, states.length - 2), threshold };
}

function encodeStates(data: ColumnData, states: readonly (string | null)[], fallback: number): PrivateColumn {
  if (data.kind !== 'discrete') throw new AirlockError('INTERNAL', `encodeStates on numeric column ${data.column.name}`);
  const index = new Map(states.map((state, i) => [state, i]));
  const codes = new Int32Array(data.values.length);
  data.values.forEach((value, i) => {
    codes[i] = index.get(value) ?? (value === null ? states.length - 1 : fallback);
  });
  const kind = data.column.kind === 'boolean' ? 'boolean' : 'categorical';
  return { model: { name: data.column.name, kind, states, foldedValues: 0 }, codes, states: states.length };
}

/**
 * A numeric, date or timestamp column over public equal-width bins (plus null). Each bin's
 * states are its two edges, so sampling draws uniformly inside the bin; nothing of the data's
 * own quantiles enters the model. `anchor` holds the values the column is measured from.
 */
export function encodeRange(data: ColumnData, domain: Extract<PublicDomain, { kind: 'range' }>, anchor: Float64Array | undefined): PrivateColumn {
  if (data.kind !== 'numeric') throw new AirlockError('INTERNAL', `encodeRange on discrete column ${data.column.name}`);
  const { min, max, bins } = domain;
  const width = (max - min) / bins;
  const states: (readonly number[] | null)[] = [];
  for (let b = 0; b < bins; b++) states.push([min + b * width, b === bins - 1 ? max : min + (b + 1) * width]);
  states.push(null);
  const codes = new Int32Array(data.values.length);
  for (let i = 0; i < codes.length; i++) {
    const value = anchor === undefined ? data.values[i]! : data.values[i]! - anchor[i]!;
    codes[i] = Number.isNaN(value) ? bins : Math.min(bins - 1, Math.max(0, Math.floor((value - min) / width)));
  }
  const kind = data.column.kind as NumericColumnModel['kind'];
  return { model: { name: data.column.name, kind, states, step: STEP[kind], offsetFrom: domain.after ?? null }, codes, states: states.length };
}

/** The domain a column must have, or a BAD_REQUEST that names the column and the fix. */
export function requireRange(column: SynthColumn, domain: PublicDomain | undefined): Extract<PublicDomain, { kind: 'range' }> {
  if (domain?.kind === 'range' && domain.max > domain.min && Number.isInteger(domain.bins) && domain.bins >= 1) return domain;
  throw new AirlockError(
    'BAD_REQUEST',
    `Column "${column.name}" is ${column.kind}: the private synthesizer needs public bounds for it (min < max, whole bins ≥ 1). ` +
      `Add it to zones.synthetic.privacy.bounds in the policy, e.g. ${column.name}: { min: …, max: … }.`,
  );
}
