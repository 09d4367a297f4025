import { AirlockError } from '@airlock/core';
import type { FeatureKind, FeatureSpec, Row, TargetSpec, TargetValue } from './types.ts';
import { MAX_CLASSES, MIN_CLASS_ROWS, OTHER_CLASS } from './types.ts';
import { readBoolean, readCategory, readDate, readNumber } from './values.ts';

/** Marks a serialized encoder; bump {@link ENCODER_VERSION} whenever the encoding changes. */
export const ENCODER_FORMAT = 'airlock.ml.encoder';
/** Version of the encoding; encoders of another version are refused rather than misread. */
export const ENCODER_VERSION = 1;
/** Name of the bucket that takes nulls and categories not among a feature's kept training categories. */
export const UNKNOWN_CATEGORY = '__unknown__';
/** Categories kept per categorical feature unless its spec says otherwise. */
export const DEFAULT_TOP_N = 50;

/** One feature's fitted encoding. Columns, in order, are listed in {@link Encoder.columns}. */
export type EncodedFeature =
  /** Columns `name` (standardized, 0 when null) and `name__is_null`. */
  | { readonly name: string; readonly kind: 'numeric'; readonly mean: number; readonly std: number }
  /** Columns `name=<category>` for each kept category, then `name=__unknown__`. */
  | { readonly name: string; readonly kind: 'categorical'; readonly categories: readonly string[] }
  /** Columns `name` (1 true, 0 false or null) and `name__is_null`. */
  | { readonly name: string; readonly kind: 'boolean' }
  /**
   * Columns `name__year` (standardized), `name__month_sin`, `name__month_cos` (the month on a
   * circle, so December sits next to January; both 0 when the grain has no month) and `name__is_null`.
   */
  | { readonly name: string; readonly kind: 'date'; readonly yearMean: number; readonly yearStd: number };

/** The fitted target. */
export type EncodedTarget =
  | {
      readonly name: string;
      readonly kind: 'binary';
      /** Value of the positive class (encoded 1) and of the other class (encoded 0), as found in the data. */
      readonly positive: TargetValue;
      readonly negative: TargetValue;
      /** Share of positives in the rows the encoder was fitted on. */
      readonly positiveRate: number;
    }
  | {
      readonly name: string;
      readonly kind: 'multiclass';
      /**
       * The classes in output order: the training split's values (with the data's own type),
       * sorted by their text, then {@link OTHER_CLASS} when some values were pooled into it.
       */
      readonly classes: readonly TargetValue[];
      /** Values (as text) pooled into {@link OTHER_CLASS} for having fewer than {@link MIN_CLASS_ROWS} training rows. */
      readonly pooled: readonly string[];
      /** Share of each class in the rows the encoder was fitted on, in class order. */
      readonly shares: readonly number[];
    }
  | { readonly name: string; readonly kind: 'numeric'; readonly mean: number; readonly std: number };

/**
 * A fitted feature encoding: plain JSON, safe to store and to send. Fitted on training rows only,
 * so that nothing about the validation or test rows leaks into the model's inputs.
 */
export interface Encoder {
  readonly format: typeof ENCODER_FORMAT;
  readonly version: typeof ENCODER_VERSION;
  readonly features: readonly EncodedFeature[];
  readonly target: EncodedTarget;
  /** Names of the encoded columns, in matrix order. */
  readonly columns: readonly string[];
}

/** Rows encoded as a dense row-major matrix: value (i, j) is `matrix[i * columns.length + j]`. */
export interface EncodedMatrix {
  readonly matrix: Float32Array;
  readonly columns: readonly string[];
  readonly rows: number;
}

/** What {@link fitEncoder} needs: the features and the target. */
export interface EncoderSpec {
  readonly features: readonly FeatureSpec[];
  readonly target: TargetSpec;
}

/** Options of {@link encode}. */
export interface EncodeOptions {
  /**
   * Refuse rows that hold columns other than the features (default false). Prediction requests use
   * it so that a misspelt feature is reported instead of silently read as missing.
   */
  readonly strict?: boolean | undefined;
}

const FEATURE_KINDS: readonly FeatureKind[] = ['numeric', 'categorical', 'boolean', 'date'];

/**
 * Fits the encoding of `spec.features` and `spec.target` on `rows`, which must be the training
 * split only: numeric means and standard deviations, date-year statistics and the kept categories
 * (the `topN` most frequent, default 50, ties by value) all come from these rows.
 *
 * Throws AirlockError `BAD_REQUEST` when the spec is malformed, a feature or the target is not a
 * column of the rows (naming it and the columns there are), a value cannot be read as its kind
 * (naming the feature and row index, never the value), or the target is invalid (null, a third
 * class, a positive value that never occurs, a single class).
 */
export function fitEncoder(rows: readonly Row[], spec: EncoderSpec): Encoder {
  checkSpec(spec);
  if (rows.length === 0) throw new AirlockError('BAD_REQUEST', 'cannot fit an encoder on zero rows');
  const first = rows[0]!;
  for (const name of [...spec.features.map((f) => f.name), spec.target.name]) {
    if (!(name in first)) {
      const what = name === spec.target.name ? 'target' : 'feature';
      throw new AirlockError('BAD_REQUEST', `unknown ${what} "${name}"; known: ${Object.keys(first).join(', ')}`, { details: { [what]: name } });
    }
  }

  const features = spec.features.map((feature): EncodedFeature => {
    switch (feature.kind) {
      case 'numeric': {
        const values = collect(rows, feature, readNumber);
        return { name: feature.name, kind: 'numeric', ...standardization(values) };
      }
      case 'date': {
        const values = collect(rows, feature, readDate).map((d) => d.year);
        const { mean, std } = standardization(values);
        return { name: feature.name, kind: 'date', yearMean: mean, yearStd: std };
      }
      case 'boolean':
        collect(rows, feature, readBoolean); // validates every value
        return { name: feature.name, kind: 'boolean' };
      case 'categorical':
        return { name: feature.name, kind: 'categorical', categories: topCategories(collect(rows, feature, readCategory), feature.topN ?? DEFAULT_TOP_N) };
    }
  });
  const target = fitTarget(rows, spec.target);
  return { format: ENCODER_FORMAT, version: ENCODER_VERSION, features, target, columns: features.flatMap(columnsOf) };
}

/**
 * Encodes rows with a fitted encoder. Every feature must be present as a key of every row (null is
 * a value: it encodes as missing); other keys are ignored unless `options.strict`.
 * Throws AirlockError `BAD_REQUEST` naming the missing or unknown features, or the feature whose
 * value cannot be read as its kind.
 */
export function encode(encoder: Encoder, rows: readonly Row[], options: EncodeOptions = {}): EncodedMatrix {
  const plan = planOf(encoder);
  const width = encoder.columns.length;
  const matrix = new Float32Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) encodeRowInto(encoder, plan, rows[i]!, i, matrix, i * width, options.strict === true);
  return { matrix, columns: encoder.columns, rows: rows.length };
}

/**
 * The target of each row as a number: 1/0 for a binary target (1 = positive), the class index for
 * a multiclass one (a pooled value, or one the training split never had, is {@link OTHER_CLASS}
 * when the target has that class), the raw value for a numeric one. Throws AirlockError
 * `BAD_REQUEST` naming the row when the target is missing, null, not a number, or a class the
 * encoder has not seen.
 */
export function encodeTarget(encoder: Encoder, rows: readonly Row[]): Float32Array {
  const target = encoder.target;
  const out = new Float32Array(rows.length);
  const classIndex = target.kind === 'multiclass' ? classIndexOf(target) : undefined;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (!(target.name in row)) throw new AirlockError('BAD_REQUEST', `row ${i} has no target "${target.name}"`);
    const raw = row[target.name];
    if (raw === null || raw === undefined) throw new AirlockError('BAD_REQUEST', `target "${target.name}" is null in row ${i}; drop unlabelled rows before training`);
    if (target.kind === 'numeric') {
      const value = readNumber(raw);
      if (value === null || value === undefined) throw new AirlockError('BAD_REQUEST', `target "${target.name}" in row ${i} is ${describe(raw)}, not a number`);
      out[i] = value;
    } else if (target.kind === 'multiclass') {
      const index = classIndex!(raw);
      if (index === undefined) {
        throw new AirlockError(
          'BAD_REQUEST',
          `target "${target.name}" in row ${i} is a class the training split never had; give the training split a larger share (splits) or derive coarser classes`,
        );
      }
      out[i] = index;
    } else {
      const key = targetKey(raw);
      if (key === targetKey(target.positive)) out[i] = 1;
      else if (key === targetKey(target.negative)) out[i] = 0;
      else {
        throw new AirlockError(
          'BAD_REQUEST',
          `target "${target.name}" in row ${i} is neither the positive class ${JSON.stringify(target.positive)} nor the negative class ${JSON.stringify(target.negative)}; a binary target takes exactly two values`,
        );
      }
    }
  }
  return out;
}

/**
 * Checks that a value read from storage is an encoder this version understands, so that a model
 * saved by another version fails loudly instead of mis-encoding inputs.
 */
export function assertEncoder(value: unknown): asserts value is Encoder {
  const e = value as Partial<Encoder> | null;
  if (e === null || typeof e !== 'object' || e.format !== ENCODER_FORMAT) {
    throw new AirlockError('BAD_REQUEST', `not an Airlock encoder (expected format "${ENCODER_FORMAT}")`);
  }
  if (e.version !== ENCODER_VERSION) {
    throw new AirlockError('BAD_REQUEST', `encoder version ${String(e.version)} is not supported (this build reads version ${ENCODER_VERSION}); retrain the model`);
  }
  if (!Array.isArray(e.features) || !Array.isArray(e.columns) || e.target === undefined) {
    throw new AirlockError('BAD_REQUEST', 'encoder is incomplete: it needs features, columns and target');
  }
  const expected = e.features.flatMap(columnsOf);
  if (expected.length !== e.columns.length || expected.some((c, i) => c !== e.columns![i])) {
    throw new AirlockError('BAD_REQUEST', 'encoder columns do not match its features; the encoder was altered');
  }
}

/** Column names of one fitted feature, in matrix order. */
function columnsOf(feature: EncodedFeature): string[] {
  switch (feature.kind) {
    case 'numeric':
    case 'boolean':
      return [feature.name, `${feature.name}__is_null`];
    case 'categorical':
      return [...feature.categories, UNKNOWN_CATEGORY].map((c) => `${feature.name}=${c}`);
    case 'date':
      return ['year', 'month_sin', 'month_cos', 'is_null'].map((part) => `${feature.name}__${part}`);
  }
}

/** Per-encoder lookup structures, built once: column offsets and category indexes. */
interface Plan {
  readonly offsets: readonly number[];
  readonly categoryIndex: ReadonlyArray<ReadonlyMap<string, number> | undefined>;
  readonly names: ReadonlySet<string>;
}

const plans = new WeakMap<Encoder, Plan>();

function planOf(encoder: Encoder): Plan {
  let plan = plans.get(encoder);
  if (plan === undefined) {
    const offsets: number[] = [];
    let offset = 0;
    for (const feature of encoder.features) {
      offsets.push(offset);
      offset += columnsOf(feature).length;
    }
    const categoryIndex = encoder.features.map((f) => (f.kind === 'categorical' ? new Map(f.categories.map((c, i) => [c, i])) : undefined));
    plan = { offsets, categoryIndex, names: new Set(encoder.features.map((f) => f.name)) };
    plans.set(encoder, plan);
  }
  return plan;
}

/** The error for a row whose keys do not match the features: every offender at once, and the fix. */
export function featureMismatch(encoder: Encoder, row: Row, index: number, strict: boolean): AirlockError | undefined {
  const names = planOf(encoder).names;
  const missing = encoder.features.filter((f) => !(f.name in row)).map((f) => f.name);
  const unknown = strict ? Object.keys(row).filter((k) => !names.has(k)) : [];
  if (missing.length === 0 && unknown.length === 0) return undefined;
  const parts = [
    ...unknown.map((name) => `unknown feature "${name}"`),
    ...(missing.length > 0 ? [`missing feature${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`] : []),
  ];
  return new AirlockError('BAD_REQUEST', `row ${index}: ${parts.join('; ')}; known: ${[...names].join(', ')}`, { details: { row: index, unknown, missing } });
}

function encodeRowInto(encoder: Encoder, plan: Plan, row: Row, index: number, out: Float32Array, base: number, strict: boolean): void {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new AirlockError('BAD_REQUEST', `row ${index} is not an object of feature values`);
  if (strict || encoder.features.some((f) => !(f.name in row))) {
    const error = featureMismatch(encoder, row, index, strict);
    if (error) throw error;
  }
  const features = encoder.features;
  for (let k = 0; k < features.length; k++) {
    const feature = features[k]!;
    const at = base + plan.offsets[k]!;
    const raw = row[feature.name];
    switch (feature.kind) {
      case 'numeric': {
        const value = readOrThrow(readNumber, raw, feature, index);
        if (value === null) out[at + 1] = 1;
        else out[at] = (value - feature.mean) / feature.std;
        break;
      }
      case 'boolean': {
        const value = readOrThrow(readBoolean, raw, feature, index);
        if (value === null) out[at + 1] = 1;
        else out[at] = value ? 1 : 0;
        break;
      }
      case 'categorical': {
        const value = readOrThrow(readCategory, raw, feature, index);
        const position = value === null ? undefined : plan.categoryIndex[k]!.get(value);
        out[at + (position ?? feature.categories.length)] = 1;
        break;
      }
      case 'date': {
        const value = readOrThrow(readDate, raw, feature, index);
        if (value === null) {
          out[at + 3] = 1;
        } else {
          out[at] = (value.year - feature.yearMean) / feature.yearStd;
          if (value.month !== null) {
            const angle = (2 * Math.PI * (value.month - 1)) / 12;
            out[at + 1] = Math.sin(angle);
            out[at + 2] = Math.cos(angle);
          }
        }
        break;
      }
    }
  }
}

/** Reads a value or throws the error that names the feature; exported for the drift monitor. */
export function readOrThrow<T>(read: (value: unknown) => T | null | undefined, raw: unknown, feature: { name: string; kind: FeatureKind }, row: number): T | null {
  const value = read(raw);
  if (value === undefined) {
    // The value itself is data, so the message names its type only.
    throw new AirlockError('BAD_REQUEST', `feature "${feature.name}" (${feature.kind}) in row ${row} is ${describe(raw)}, which cannot be read as ${feature.kind}${hintOf(feature.kind)}`, {
      details: { feature: feature.name, row },
    });
  }
  return value;
}

function hintOf(kind: FeatureKind): string {
  switch (kind) {
    case 'numeric':
      return ' (use a finite number or numeric string)';
    case 'boolean':
      return ' (use true/false, 0/1, t/f or yes/no)';
    case 'date':
      return ' (use a Date, YYYY-MM-DD, an ISO timestamp, YYYY-MM, YYYY-Qn, YYYY-Www or YYYY)';
    case 'categorical':
      return ' (use a string, number or boolean)';
  }
}

function describe(raw: unknown): string {
  if (typeof raw === 'string') return `a string of ${raw.length} characters`;
  if (typeof raw === 'number') return Number.isFinite(raw) ? 'a number' : String(raw);
  if (raw instanceof Date) return 'an invalid Date';
  return Array.isArray(raw) ? 'an array' : `a value of type ${typeof raw}`;
}

function collect<T>(rows: readonly Row[], feature: FeatureSpec, read: (value: unknown) => T | null | undefined): T[] {
  const out: T[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (!(feature.name in row)) throw new AirlockError('BAD_REQUEST', `row ${i}: missing feature "${feature.name}"`, { details: { row: i, missing: [feature.name] } });
    const value = readOrThrow(read, row[feature.name], feature, i);
    if (value !== null) out.push(value);
  }
  return out;
}

/** Mean and population standard deviation; a constant or empty column gets std 1 so it encodes as 0. */
function standardization(values: readonly number[]): { mean: number; std: number } {
  if (values.length === 0) return { mean: 0, std: 1 };
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const std = Math.sqrt(squares / values.length);
  return { mean, std: std > 0 ? std : 1 };
}

function topCategories(values: readonly string[], topN: number): string[] {
  const counts = new Map<string, number>();
  for (const value of values) {
    // A literal "__unknown__" in the data belongs in the unknown bucket, not beside it.
    if (value !== UNKNOWN_CATEGORY) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, topN)
    .map(([value]) => value);
}

/** Booleans compare with their text so that a positive of `'true'` matches PostgreSQL's `true`. */
function targetKey(value: unknown): string {
  return String(value);
}

function fitTarget(rows: readonly Row[], spec: TargetSpec): EncodedTarget {
  if (spec.kind === 'numeric') {
    const values: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const raw = rows[i]![spec.name];
      const value = readNumber(raw);
      if (value === null || value === undefined) {
        throw new AirlockError('BAD_REQUEST', `target "${spec.name}" in row ${i} is ${raw === null || raw === undefined ? 'null' : describe(raw)}; a numeric target needs a number in every row`);
      }
      values.push(value);
    }
    return { name: spec.name, kind: 'numeric', ...standardization(values) };
  }

  // Distinct raw values, first occurrence kept so labels come back with the data's own type.
  const seen = new Map<string, { value: TargetValue; count: number }>();
  for (let i = 0; i < rows.length; i++) {
    const raw = rows[i]![spec.name];
    if (raw === null || raw === undefined) throw new AirlockError('BAD_REQUEST', `target "${spec.name}" is null in row ${i}; drop unlabelled rows before training`);
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      throw new AirlockError('BAD_REQUEST', `target "${spec.name}" in row ${i} is ${describe(raw)}; a ${spec.kind} target takes strings, numbers or booleans`);
    }
    const key = targetKey(raw);
    const entry = seen.get(key);
    if (entry) entry.count++;
    else seen.set(key, { value: raw, count: 1 });
  }
  if (spec.kind === 'multiclass') return fitClasses(spec.name, seen, rows.length);
  const listed = [...seen.values()]
    .slice(0, 5)
    .map((e) => JSON.stringify(e.value))
    .join(', ');
  if (seen.size > 2) throw new AirlockError('BAD_REQUEST', `target "${spec.name}" has ${seen.size} distinct values (${listed}${seen.size > 5 ? ', ...' : ''}); a binary target takes exactly two`);

  let positiveKey: string;
  if (spec.positive !== undefined) {
    positiveKey = targetKey(spec.positive);
    if (!seen.has(positiveKey)) throw new AirlockError('BAD_REQUEST', `target "${spec.name}" never takes the positive value ${JSON.stringify(spec.positive)}; its values are ${listed}`);
  } else if ([...seen.keys()].every((k) => k === 'true' || k === 'false') || [...seen.keys()].every((k) => k === '1' || k === '0')) {
    positiveKey = seen.has('true') || seen.has('false') ? 'true' : '1';
  } else {
    throw new AirlockError('BAD_REQUEST', `target "${spec.name}" has values ${listed}; say which is the positive class with target.positive`);
  }
  if (seen.size < 2) throw new AirlockError('BAD_REQUEST', `target "${spec.name}" has one class only (${listed}) in the training rows; a classifier needs both`);
  const negativeKey = [...seen.keys()].find((k) => k !== positiveKey)!;
  const positive = seen.get(positiveKey)!;
  return { name: spec.name, kind: 'binary', positive: positive.value, negative: seen.get(negativeKey)!.value, positiveRate: positive.count / rows.length };
}

/**
 * A multiclass target's classes from the training split's value counts: values with fewer than
 * {@link MIN_CLASS_ROWS} rows pooled into {@link OTHER_CLASS}; at most {@link MAX_CLASSES}.
 */
function fitClasses(name: string, seen: ReadonlyMap<string, { value: TargetValue; count: number }>, n: number): EncodedTarget {
  const byText = (a: [string, unknown], b: [string, unknown]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  // A literal "__other__" in the data is pooled too, like "__unknown__" in a feature.
  const kept = [...seen].filter(([key, e]) => e.count >= MIN_CLASS_ROWS && key !== OTHER_CLASS).sort(byText);
  const pooled = [...seen].filter(([key, e]) => e.count < MIN_CLASS_ROWS || key === OTHER_CLASS).sort(byText);
  const classes: TargetValue[] = kept.map(([, e]) => e.value);
  const counts = kept.map(([, e]) => e.count);
  if (pooled.length > 0) {
    classes.push(OTHER_CLASS);
    counts.push(pooled.reduce((sum, [, e]) => sum + e.count, 0));
  }
  if (classes.length > MAX_CLASSES) {
    throw new AirlockError(
      'BAD_REQUEST',
      `target "${name}" has ${classes.length} classes in the training split; a multiclass target may have at most ${MAX_CLASSES}: derive coarser classes (target.derive with "in" or "buckets")`,
      { details: { target: name, classes: classes.length, limit: MAX_CLASSES } },
    );
  }
  if (classes.length < 2) {
    throw new AirlockError(
      'BAD_REQUEST',
      `target "${name}" has ${seen.size} distinct value(s) in the training split, which make ${classes.length} class (values with fewer than ${MIN_CLASS_ROWS} rows are pooled into "${OTHER_CLASS}"); a classifier needs two or more classes`,
    );
  }
  return { name, kind: 'multiclass', classes, pooled: pooled.map(([key]) => key), shares: counts.map((c) => c / n) };
}

/** Maps a raw target value to its class index; pooled and unseen values go to OTHER_CLASS if there is one. */
function classIndexOf(target: Extract<EncodedTarget, { kind: 'multiclass' }>): (raw: unknown) => number | undefined {
  const index = new Map(target.classes.map((c, i) => [targetKey(c), i]));
  const other = target.pooled.length > 0 ? index.get(OTHER_CLASS) : undefined;
  index.delete(OTHER_CLASS); // a literal "__other__" reaches the pooled class through `other`
  return (raw) => index.get(targetKey(raw)) ?? other;
}

function checkSpec(spec: EncoderSpec): void {
  if (!Array.isArray(spec.features) || spec.features.length === 0) throw new AirlockError('BAD_REQUEST', 'no features given; name at least one');
  const names = new Set<string>();
  for (const feature of spec.features) {
    if (typeof feature.name !== 'string' || feature.name === '') throw new AirlockError('BAD_REQUEST', 'every feature needs a non-empty name');
    if (names.has(feature.name)) throw new AirlockError('BAD_REQUEST', `feature "${feature.name}" is listed twice`);
    names.add(feature.name);
    if (!FEATURE_KINDS.includes(feature.kind)) {
      throw new AirlockError('BAD_REQUEST', `feature "${feature.name}" has kind "${String(feature.kind)}"; use one of ${FEATURE_KINDS.join(', ')}`);
    }
    if (feature.topN !== undefined && !(Number.isInteger(feature.topN) && feature.topN >= 1)) {
      throw new AirlockError('BAD_REQUEST', `feature "${feature.name}": topN must be an integer ≥ 1, got ${feature.topN}`);
    }
  }
  if (typeof spec.target?.name !== 'string' || spec.target.name === '') throw new AirlockError('BAD_REQUEST', 'the target needs a name');
  if (spec.target.kind !== 'binary' && spec.target.kind !== 'multiclass' && spec.target.kind !== 'numeric') {
    throw new AirlockError('BAD_REQUEST', `target "${spec.target.name}" has kind "${String(spec.target.kind)}"; use binary, multiclass or numeric`);
  }
  // A feature that is the target would let the model read the answer.
  if (names.has(spec.target.name)) throw new AirlockError('BAD_REQUEST', `"${spec.target.name}" is both the target and a feature; remove it from the features`);
}
