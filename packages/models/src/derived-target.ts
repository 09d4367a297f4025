import { AirlockError } from '@airlock/core';
import type { Row } from '@airlock/ml';
import { MAX_CLASSES } from '@airlock/ml';
import type { ColumnView } from '@airlock/policy';

/** Comparison operators of a derived binary target. */
export type DeriveOp = '>' | '>=' | '<' | '<=' | '=' | '!=';

const ORDER_OPS: readonly DeriveOp[] = ['>', '>=', '<', '<='];
const EQUALITY_OPS: readonly DeriveOp[] = ['=', '!='];

/** A scalar a derived target compares with. */
export type DeriveValue = string | number | boolean;

/**
 * A target computed from one column of the zone, in the trainer, from the rows it read through
 * the zone's role (never by the client). One of:
 * - `{ column, op, value }`: binary, true where `column op value` holds (`cost > 0`);
 * - `{ column, in: [...] }`: binary, true where the column holds one of the values (`ward in [icu, surgery]`);
 * - `{ column, buckets: [e1, e2, ...] }`: multiclass over a numeric column cut at the ascending
 *   edges, labels `<e1`, `e1–e2`, …, `≥en` (a value equal to an edge goes to the bucket it starts).
 *
 * Rows where the column is null are left out (they have no label); the model card counts them.
 * The column is never a feature of the model (it would give the answer away).
 */
export type DerivedTarget =
  | { readonly column: string; readonly op: DeriveOp; readonly value: DeriveValue }
  | { readonly column: string; readonly in: readonly DeriveValue[] }
  | { readonly column: string; readonly buckets: readonly number[] };

/** A training request's target: a column's name, or `{ derive: DerivedTarget }`. */
export type TargetRequest = string | { readonly derive: DerivedTarget };

/** A derived target checked against the zone's columns. */
export interface ResolvedDerivedTarget {
  readonly definition: DerivedTarget;
  /** Readable name, e.g. `cost > 0`: the target's name in the model, its card and the registry. */
  readonly name: string;
  /** The name as it may appear in a model name (`cost-gt-0`). */
  readonly slug: string;
  readonly kind: 'binary' | 'multiclass';
}

/** Most values an `in` list may hold. */
export const MAX_IN_VALUES = 100;

const SHAPES = 'use { "derive": { "column": "<name>", "op": ">", "value": 0 } }, { "derive": { "column": "<name>", "in": ["a", "b"] } } or { "derive": { "column": "<name>", "buckets": [30, 50, 70] } }';

/**
 * Checks a derived target against the columns the requester may read in the zone. Every problem
 * is a BAD_REQUEST naming the field and the fix: an unknown or unreadable column, an operator or
 * a value that does not suit the column's type in this zone, malformed lists or bucket edges.
 */
export function resolveDerivedTarget(value: unknown, columns: readonly ColumnView[], where: string): ResolvedDerivedTarget {
  const derive = (value as { derive?: unknown } | null)?.derive;
  if (derive === null || typeof derive !== 'object' || Array.isArray(derive)) throw bad(`target must be a column name or { "derive": { ... } }; ${SHAPES}.`);
  const d = derive as Record<string, unknown>;
  const extra = Object.keys(d).filter((k) => !['column', 'op', 'value', 'in', 'buckets'].includes(k));
  if (extra.length > 0) throw bad(`target.derive has unknown field(s) ${extra.map((k) => `"${k}"`).join(', ')}; ${SHAPES}.`);
  if (typeof d['column'] !== 'string' || d['column'] === '') throw bad(`target.derive.column must name a column; ${SHAPES}.`);
  const name = d['column'];
  const column = columns.find((c) => c.name === name);
  if (!column) {
    // One answer for a column that does not exist and one the caller may not read there.
    throw bad(`target.derive.column "${name}" is not a column you can read in the ${where}; readable: ${columns.map((c) => c.name).join(', ')}.`);
  }
  if (column.class === 'identifier') throw bad(`target.derive.column "${name}" is an identifier; derive the target from a column that describes the record.`);
  const forms = ['op', 'in', 'buckets'].filter((k) => d[k] !== undefined);
  if (forms.length !== 1) throw bad(`target.derive needs exactly one of "op" (with "value"), "in" or "buckets"${forms.length > 1 ? `, not ${forms.join(' and ')}` : ''}; ${SHAPES}.`);
  const type = column.type;
  const numeric = type === 'integer' || type === 'number';
  const typeNote = `"${name}" is ${type} in the ${where}${column.transform.kind === 'keep' ? '' : ` (${column.transform.kind})`}`;
  if (type === 'date' || type === 'timestamp') throw bad(`target.derive: ${typeNote}; derive targets from numeric, text or boolean columns.`);

  let definition: DerivedTarget;
  if (forms[0] === 'op') {
    const op = d['op'];
    if (typeof op !== 'string' || ![...ORDER_OPS, ...EQUALITY_OPS].includes(op as DeriveOp)) {
      throw bad(`target.derive.op "${String(op)}" is unknown; use one of ${[...ORDER_OPS, ...EQUALITY_OPS].join(' ')}.`);
    }
    if (!numeric && ORDER_OPS.includes(op as DeriveOp)) throw bad(`target.derive.op "${op}" needs a numeric column; ${typeNote}: use = or != (or "in").`);
    if (d['value'] === undefined) throw bad(`target.derive.value is missing: "${op}" compares the column with it.`);
    definition = { column: name, op: op as DeriveOp, value: checkValue(d['value'], type, typeNote, 'target.derive.value') };
  } else if (forms[0] === 'in') {
    if (d['value'] !== undefined) throw bad('target.derive.value goes with "op", not with "in".');
    const list = d['in'];
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_IN_VALUES) throw bad(`target.derive.in must be a list of 1 to ${MAX_IN_VALUES} values.`);
    if (type === 'boolean') throw bad(`target.derive.in: ${typeNote}; use { "op": "=", "value": true }.`);
    definition = { column: name, in: list.map((v, i) => checkValue(v, type, typeNote, `target.derive.in[${i}]`)) };
  } else {
    if (d['value'] !== undefined) throw bad('target.derive.value goes with "op", not with "buckets".');
    if (!numeric) throw bad(`target.derive.buckets needs a numeric column; ${typeNote}: use "in" to group its values.`);
    const edges = d['buckets'];
    if (!Array.isArray(edges) || edges.length === 0 || edges.length >= MAX_CLASSES) throw bad(`target.derive.buckets must be a list of 1 to ${MAX_CLASSES - 1} edges (at most ${MAX_CLASSES} classes).`);
    for (const [i, e] of edges.entries()) {
      if (typeof e !== 'number' || !Number.isFinite(e)) throw bad(`target.derive.buckets[${i}] must be a number.`);
      if (i > 0 && e <= (edges[i - 1] as number)) throw bad(`target.derive.buckets must ascend strictly; ${e} follows ${String(edges[i - 1])}.`);
    }
    definition = { column: name, buckets: edges as number[] };
  }
  return { definition, name: derivedTargetName(definition), slug: slugOf(definition), kind: 'buckets' in definition ? 'multiclass' : 'binary' };
}

/** The readable name of a derived target: `cost > 0`, `ward in [icu, surgery]`, `age buckets [30, 50, 70]`. */
export function derivedTargetName(d: DerivedTarget): string {
  if ('op' in d) return `${d.column} ${d.op} ${String(d.value)}`;
  if ('in' in d) return `${d.column} in [${d.in.map(String).join(', ')}]`;
  return `${d.column} buckets [${d.buckets.join(', ')}]`;
}

/** Class labels of numeric buckets: `<e1`, `e1–e2`, …, `≥en`. */
export function bucketLabels(edges: readonly number[]): string[] {
  return [`<${edges[0]}`, ...edges.slice(1).map((e, i) => `${edges[i]}–${e}`), `≥${edges.at(-1)}`];
}

/**
 * Evaluates a derived target on rows read through the zone: each row gets the target under
 * `target.name` (true/false, or a bucket label) and loses the source column, which is no feature.
 * Rows whose source is null are dropped and counted. Pure: the trainer calls it on the rows it
 * read; nothing here reads data.
 */
export function deriveTargetRows(rows: readonly Row[], target: ResolvedDerivedTarget): { rows: Row[]; droppedNullRows: number } {
  const d = target.definition;
  const label = labeller(d);
  const out: Row[] = [];
  let dropped = 0;
  for (const row of rows) {
    const raw = row[d.column];
    if (raw === null || raw === undefined) {
      dropped++;
      continue;
    }
    const { [d.column]: _source, ...rest } = row;
    out.push({ ...rest, [target.name]: label(raw) });
  }
  return { rows: out, droppedNullRows: dropped };
}

function labeller(d: DerivedTarget): (raw: unknown) => boolean | string {
  if ('buckets' in d) {
    const labels = bucketLabels(d.buckets);
    return (raw) => {
      const v = Number(raw);
      let i = 0;
      while (i < d.buckets.length && v >= d.buckets[i]!) i++;
      return labels[i]!;
    };
  }
  if ('in' in d) {
    if (d.in.every((v) => typeof v === 'number')) {
      // Numbers compare as numbers: NUMERIC arrives as text ("3.50" is 3.5).
      const numbers = new Set(d.in as readonly number[]);
      return (raw) => numbers.has(Number(raw));
    }
    const members = new Set(d.in.map(String));
    return (raw) => members.has(String(raw));
  }
  const { op, value } = d;
  if (typeof value === 'number') {
    // NUMERIC and BIGINT columns arrive as strings.
    return (raw) => compare(op, Number(raw), value);
  }
  const text = String(value);
  return (raw) => (op === '=' ? String(raw) === text : String(raw) !== text);
}

function compare(op: DeriveOp, a: number, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '=':
      return a === b;
    case '!=':
      return a !== b;
  }
}

function checkValue(value: unknown, type: ColumnView['type'], typeNote: string, field: string): DeriveValue {
  const numeric = type === 'integer' || type === 'number';
  if (numeric && typeof value === 'number' && Number.isFinite(value)) return value;
  if (type === 'boolean' && typeof value === 'boolean') return value;
  if (type === 'string' && typeof value === 'string') return value;
  const wanted = numeric ? 'a number' : type === 'boolean' ? 'true or false' : 'a string';
  throw bad(`${field} must be ${wanted}: ${typeNote}.`);
}

function slugOf(d: DerivedTarget): string {
  const raw = 'op' in d ? `${d.column}-${OP_WORDS[d.op]}-${String(d.value)}` : 'in' in d ? `${d.column}-in-${d.in.map(String).join('-')}` : `${d.column}-buckets-${d.buckets.join('-')}`;
  // Model references allow [A-Za-z0-9_.-]; anything else becomes a dash.
  return raw.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 80);
}

const OP_WORDS: Record<DeriveOp, string> = { '>': 'gt', '>=': 'ge', '<': 'lt', '<=': 'le', '=': 'eq', '!=': 'ne' };

function bad(message: string): AirlockError {
  return new AirlockError('BAD_REQUEST', message);
}
