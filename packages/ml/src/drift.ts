import { AirlockError, createRng } from '@airlock/core';
import { categoricalPsi, populationStabilityIndex, psiLevel } from '@airlock/metrics';
import { UNKNOWN_CATEGORY, readOrThrow, type Encoder } from './encoder.ts';
import type { DriftReference, DriftReferenceFeature, SerializedModel } from './model.ts';
import { MODEL_FORMAT } from './model.ts';
import type { FeatureKind, FeatureSpec, Row } from './types.ts';
import { decimalYear, readBoolean, readCategory, readDate, readNumber } from './values.ts';

/** Most training values kept per feature in a model's drift reference. */
export const REFERENCE_SAMPLE_SIZE = 2000;
// The floor @airlock/metrics applies to empty bins; the null bin below uses the same one.
const EPSILON = 1e-4;

/** Drift of one feature between the training reference and a batch. */
export interface FeatureDrift {
  readonly feature: string;
  readonly kind: FeatureKind;
  /** Population stability index (numeric and date: 10 quantile bins of the reference, plus a null bin; others: one bin per category). */
  readonly psi: number;
  /** psiLevel: `stable` below 0.1, `watch` below 0.25, `act` from 0.25. */
  readonly level: 'stable' | 'watch' | 'act';
  readonly referenceSize: number;
  readonly batchSize: number;
}

/**
 * Builds a model's drift reference from its training rows: for each feature, up to
 * {@link REFERENCE_SAMPLE_SIZE} values drawn without replacement, each feature with its own seeded
 * permutation so that the sample holds no whole training record. Categorical values the encoder did
 * not keep are stored as `__unknown__`: rare values are the identifying ones, and the model cannot
 * tell them apart anyway.
 */
export function buildReference(rows: readonly Row[], encoder: Encoder, seed: number | string): DriftReference {
  const size = Math.min(REFERENCE_SAMPLE_SIZE, rows.length);
  const features = encoder.features.map((feature, k): DriftReferenceFeature => {
    const sample = sampleWithoutReplacement(rows, size, `${String(seed)}/reference/${k}`);
    if (feature.kind === 'categorical') {
      const keep = new Set(feature.categories);
      const values = readColumn(sample, feature).map((v) => (v === null ? null : keep.has(v as string) ? (v as string) : UNKNOWN_CATEGORY));
      return { name: feature.name, kind: 'categorical', values, keep: feature.categories };
    }
    return referenceOf(sample, feature);
  });
  return { size, features };
}

/**
 * Per-feature population stability index of `batch` against a reference, with its psiLevel.
 *
 * The reference is either a trained model (its stored sample, see {@link buildReference}) or the
 * training rows themselves (then `features` is required). `features` picks which features to check
 * (default: all of the model's). Identifiers must never be passed as features: they drift by nature
 * and a model's reference would store their values.
 *
 * Throws AirlockError `BAD_REQUEST` for an empty batch, a feature absent from the reference or from
 * a batch row, or a value that cannot be read as its kind.
 */
export function featureDrift(reference: SerializedModel | DriftReference | readonly Row[], batch: readonly Row[], features?: readonly FeatureSpec[]): FeatureDrift[] {
  if (batch.length === 0) throw new AirlockError('BAD_REQUEST', 'the batch to check for drift is empty');
  let stored: readonly DriftReferenceFeature[];
  if (Array.isArray(reference)) {
    if (features === undefined || features.length === 0) throw new AirlockError('BAD_REQUEST', 'featureDrift against training rows needs the features to compare');
    if (reference.length === 0) throw new AirlockError('BAD_REQUEST', 'the training rows to compare against are empty');
    stored = features.map((f) => referenceOf(reference as readonly Row[], f));
  } else {
    const ref = (reference as SerializedModel).format === MODEL_FORMAT ? (reference as SerializedModel).reference : (reference as DriftReference);
    const byName = new Map(ref.features.map((f) => [f.name, f]));
    stored = (features ?? ref.features).map((f) => {
      const found = byName.get(f.name);
      if (found === undefined) throw new AirlockError('BAD_REQUEST', `unknown feature "${f.name}"; known: ${[...byName.keys()].join(', ')}`);
      return found;
    });
  }

  return stored.map((ref): FeatureDrift => {
    let psi: number;
    if (ref.kind === 'numeric' || ref.kind === 'date') {
      psi = numericPsi(ref.values, readColumn(batch, ref) as Array<number | null>);
    } else {
      const keepList = 'keep' in ref ? ref.keep : undefined;
      const keep = keepList === undefined ? undefined : new Set(keepList);
      const actual = (readColumn(batch, ref) as Array<string | null>).map((v) => (v === null || keep === undefined || keep.has(v) ? v : UNKNOWN_CATEGORY));
      psi = ref.values.length === 0 ? 0 : categoricalPsi(ref.values as Array<string | null>, actual).psi;
    }
    return { feature: ref.name, kind: ref.kind, psi, level: psiLevel(psi), referenceSize: ref.values.length, batchSize: batch.length };
  });
}

/** `size` rows drawn without replacement: a partial Fisher–Yates shuffle, O(size) draws. */
function sampleWithoutReplacement(rows: readonly Row[], size: number, seed: string): Row[] {
  const rng = createRng(seed);
  const order = Uint32Array.from(rows.keys());
  const out: Row[] = [];
  for (let i = 0; i < size; i++) {
    const j = i + rng.int(order.length - i);
    [order[i], order[j]] = [order[j]!, order[i]!];
    out.push(rows[order[i]!]!);
  }
  return out;
}

function referenceOf(rows: readonly Row[], feature: { name: string; kind: FeatureKind }): DriftReferenceFeature {
  const values = readColumn(rows, feature);
  return feature.kind === 'numeric' || feature.kind === 'date'
    ? { name: feature.name, kind: feature.kind, values: values as Array<number | null> }
    : { name: feature.name, kind: feature.kind, values: values as Array<string | null> };
}

/** A feature's values in drift form: numbers (dates as fractional years) or category strings. */
function readColumn(rows: readonly Row[], feature: { name: string; kind: FeatureKind }): Array<number | string | null> {
  return rows.map((row, i) => {
    if (!(feature.name in row)) throw new AirlockError('BAD_REQUEST', `row ${i}: missing feature "${feature.name}"`, { details: { row: i, missing: [feature.name] } });
    const raw = row[feature.name];
    switch (feature.kind) {
      case 'numeric':
        return readOrThrow(readNumber, raw, feature, i);
      case 'date': {
        const parts = readOrThrow(readDate, raw, feature, i);
        return parts === null ? null : decimalYear(parts);
      }
      case 'boolean': {
        const value = readOrThrow(readBoolean, raw, feature, i);
        return value === null ? null : String(value);
      }
      case 'categorical':
        return readOrThrow(readCategory, raw, feature, i);
    }
  });
}

/**
 * Numeric PSI with missing values as a bin of their own: @airlock/metrics bins only numbers, so
 * its shares (of the non-null values) are rescaled to shares of all values and the null bin's term
 * is added with the same formula and floor. A rise in missing values is drift too.
 */
function numericPsi(expected: ReadonlyArray<number | null>, actual: ReadonlyArray<number | null>): number {
  const e = expected.filter((v): v is number => v !== null);
  const a = actual.filter((v): v is number => v !== null);
  if (expected.length === 0) return 0;
  const eNull = 1 - e.length / expected.length;
  const aNull = 1 - a.length / actual.length;
  let psi = term(eNull, aNull);
  if (e.length > 0 && a.length > 0) {
    for (const bin of populationStabilityIndex(e, a).bins) psi += term(bin.expectedShare * (1 - eNull), bin.actualShare * (1 - aNull));
  } else {
    // One side has no numbers at all: everything non-null is one bin.
    psi += term(1 - eNull, 1 - aNull);
  }
  return psi;
}

function term(expected: number, actual: number): number {
  const e = Math.max(expected, EPSILON);
  const a = Math.max(actual, EPSILON);
  return (a - e) * Math.log(a / e);
}
