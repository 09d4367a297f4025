import { AirlockError, createRng } from '@airlock/core';
import { encodeColumn, interpolateKnots, roundToStep } from './discretize.ts';
import type { EncodedColumn } from './discretize.ts';
import { fakeSource } from './fake.ts';
import { MODEL_FORMAT, OTHER_CATEGORY, OTHER_VALUE } from './model.ts';
import type { ColumnModel, DiscreteColumnModel, GeneratorModel, NetworkNode, NumericColumnModel } from './model.ts';
import { conditionalTable, learnStructure, subsampleIndices } from './network.ts';
import type { FakeKind, SynthColumn, SynthRow, SynthTable } from './types.ts';
import { formatDiscrete, formatNumber, readColumn } from './values.ts';
import type { ColumnData } from './values.ts';

/** Options of {@link fitGenerator}. */
export interface FitOptions {
  readonly seed: number | string;
  /**
   * The policy's min_count: categories seen fewer times in the training rows are folded into one
   * category, sampled back as `"Other"`. At least 1.
   */
  readonly minCategoryCount: number;
  /** Label column: the network's root and a parent of every other column (keeps train-on-synthetic useful). */
  readonly label?: string | undefined;
  /** Most parents per column (default 3, label included). 0 fits independent marginals only. */
  readonly maxParents?: number | undefined;
  /** Equal-frequency bins per numeric column in the network (default 12; values inside a bin come from the bin's own quantiles). */
  readonly numericBins?: number | undefined;
  /** Smoothing pseudo-count per parent configuration, toward the column's marginal (default 1). */
  readonly smoothing?: number | undefined;
  /** Rows used to choose the structure (default 20,000; tables are then estimated on all rows). */
  readonly structureSampleRows?: number | undefined;
}

// 12 bins × 20 knots ≈ 240 quantile points per numeric column: KS error well under 0.01, while
// the network's tables stay small enough for the BIC penalty to admit numeric parents. A table
// above 20,000 cells would be too sparse to estimate and slow to serialize.
const DEFAULTS = { maxParents: 3, numericBins: 12, knotsPerBin: 20, smoothing: 1, structureSampleRows: 20_000, maxTableCells: 20_000 };

/**
 * Fit a generator to real rows: per-column marginals (categorical frequencies with rare values
 * folded, numeric and date values through within-bin quantiles, null rates) and a Bayesian
 * network over the discretized columns for their dependence. Identifier columns are not
 * modelled; only their fake kind and null rate are kept. Deterministic for a given seed and data.
 *
 * Throws BAD_REQUEST when the table has no rows, a cell does not parse as its column's kind, the
 * label is not a modelled column, or minCategoryCount is below 1.
 */
export function fitGenerator(table: SynthTable, options: FitOptions): GeneratorModel {
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  if (!(options.minCategoryCount >= 1)) {
    throw new AirlockError('BAD_REQUEST', `minCategoryCount must be at least 1, got ${options.minCategoryCount}.`);
  }
  if (table.rows.length === 0) throw new AirlockError('BAD_REQUEST', 'Cannot fit a generator to a table with no rows.');
  const modelled = table.columns.filter((column) => column.kind !== 'identifier');
  const data = new Map(modelled.map((column) => [column.name, readColumn(table.rows, column)]));
  const anchors = orderedPairs(modelled, data);
  const encoded = new Map<string, EncodedColumn>();
  for (const column of modelled) {
    const anchor = anchors.get(column.name);
    const columnData = data.get(column.name)!;
    const settingsFor = { ...settings, minCategoryCount: options.minCategoryCount };
    if (anchor === undefined || columnData.kind !== 'numeric') {
      encoded.set(column.name, encodeColumn(columnData, settingsFor));
      continue;
    }
    const from = data.get(anchor)!.values as Float64Array;
    const offsets = columnData.values.map((value, i) => value - from[i]!);
    const offset = encodeColumn({ ...columnData, values: offsets }, settingsFor);
    encoded.set(column.name, { ...offset, model: { ...(offset.model as NumericColumnModel), offsetFrom: anchor } });
  }
  const labelIndex = options.label === undefined ? undefined : modelled.findIndex((column) => column.name === options.label);
  if (labelIndex !== undefined && labelIndex < 0) {
    throw new AirlockError('BAD_REQUEST', `Label column "${options.label}" is not a modelled (non-identifier) column of the table.`);
  }

  const all = modelled.map((column) => encoded.get(column.name)!);
  const rng = createRng(`${String(options.seed)}:structure`);
  const sample = subsampleIndices(table.rows.length, settings.structureSampleRows, rng);
  const structure = learnStructure(
    { codes: all.map((column) => pick(column.codes, sample)), cards: all.map((column) => column.states) },
    { maxParents: settings.maxParents, label: labelIndex, maxTableCells: settings.maxTableCells },
  );
  const variables = { codes: all.map((column) => column.codes), cards: all.map((column) => column.states) };
  const network: NetworkNode[] = structure.order.map((v) => ({
    column: modelled[v]!.name,
    parents: structure.parents[v]!.map((p) => modelled[p]!.name),
    cpt: conditionalTable(variables, v, structure.parents[v]!, settings.smoothing),
  }));

  const columns: ColumnModel[] = table.columns.map((column) =>
    column.kind === 'identifier'
      ? { name: column.name, kind: 'identifier', fake: column.fake ?? 'id', nullRate: nullRate(table.rows, column) }
      : encoded.get(column.name)!.model,
  );
  return {
    format: MODEL_FORMAT,
    seed: options.seed,
    trainingRows: table.rows.length,
    minCategoryCount: options.minCategoryCount,
    label: options.label ?? null,
    columns,
    network,
  };
}

/**
 * Date and timestamp columns that are never earlier than another column of the same kind in any
 * training row (where they are set, the other is set too): derived column → its anchor. Modelling
 * the difference keeps e.g. discharge after admission in every synthetic row, which independent
 * bins cannot promise. An anchor is never itself derived, so values decode in one extra pass.
 */
function orderedPairs(columns: readonly SynthColumn[], data: ReadonlyMap<string, ColumnData>): Map<string, string> {
  const derived = new Map<string, string>();
  const anchors = new Set<string>();
  const temporal = columns.filter((column) => column.kind === 'date' || column.kind === 'timestamp');
  for (const later of temporal) {
    if (anchors.has(later.name)) continue;
    const b = data.get(later.name)!.values as Float64Array;
    for (const earlier of temporal) {
      if (earlier === later || earlier.kind !== later.kind || derived.has(earlier.name)) continue;
      const a = data.get(earlier.name)!.values as Float64Array;
      let ordered = true;
      let pairs = 0;
      for (let i = 0; i < b.length && ordered; i++) {
        if (Number.isNaN(b[i]!)) continue;
        if (Number.isNaN(a[i]!) || a[i]! > b[i]!) ordered = false;
        pairs++;
      }
      if (ordered && pairs > 0) {
        derived.set(later.name, earlier.name);
        anchors.add(earlier.name);
        break;
      }
    }
  }
  return derived;
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function pick(codes: Int32Array, indices: Int32Array): Int32Array {
  if (indices.length === codes.length) return codes;
  const out = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = codes[indices[i]!]!;
  return out;
}

function nullRate(rows: readonly SynthRow[], column: SynthColumn): number {
  if (rows.length === 0) return 0;
  let nulls = 0;
  for (const row of rows) if (row[column.name] === null || row[column.name] === undefined) nulls++;
  return Math.round((nulls / rows.length) * 1e6) / 1e6;
}

/** Options of {@link sampleRows}. */
export interface SampleOptions {
  /**
   * Values fake identifiers must not take, per column (e.g. the real names): a fake equal to one
   * is redrawn. Held in memory only, never stored in the model.
   */
  readonly avoid?: ReadonlyMap<string, ReadonlySet<string>> | undefined;
}

/**
 * Draw `count` synthetic rows from a fitted model: ancestral sampling through the network, then
 * each state turned into a value (a bin into a number through its inverse CDF, a folded
 * category into `"Other"`), and fresh fakes for identifiers. Same model, count and seed, same rows.
 */
export function sampleRows(model: GeneratorModel, count: number, seed: number | string, options: SampleOptions = {}): SynthRow[] {
  if (model.format !== MODEL_FORMAT) {
    throw new AirlockError('BAD_REQUEST', `Unknown generator model format "${String(model.format)}"; expected ${MODEL_FORMAT}. Refit the model.`);
  }
  const byName = new Map(model.columns.map((column) => [column.name, column]));
  const states = new Map<string, Int32Array>();
  const rng = createRng(`${String(seed)}:states`);
  for (const node of model.network) {
    const column = byName.get(node.column);
    if (column === undefined || column.kind === 'identifier') {
      throw new AirlockError('BAD_REQUEST', `Generator model is inconsistent: network node "${node.column}" has no modelled column.`);
    }
    const parentCards = node.parents.map((name) => {
      const parent = byName.get(name);
      return parent === undefined || parent.kind === 'identifier' ? 0 : parent.states.length;
    });
    states.set(node.column, sampleNode(node, column.states.length, parentCards, states, count, rng.next));
  }

  const codesOf = (name: string): Int32Array => {
    const codes = states.get(name);
    if (codes === undefined) throw new AirlockError('BAD_REQUEST', `Generator model is inconsistent: column "${name}" has no network node.`);
    return codes;
  };
  // Numbers first, anchors before the columns measured from them.
  const valueRng = createRng(`${String(seed)}:values`);
  const numbers = new Map<string, Float64Array>();
  const numeric = model.columns.filter((column): column is NumericColumnModel => column.kind !== 'identifier' && !isDiscreteModel(column));
  for (const column of [...numeric.filter((c) => c.offsetFrom === null), ...numeric.filter((c) => c.offsetFrom !== null)]) {
    const values = drawNumbers(column, codesOf(column.name), valueRng.next);
    if (column.offsetFrom !== null) {
      const anchor = numbers.get(column.offsetFrom);
      if (anchor === undefined) throw new AirlockError('BAD_REQUEST', `Generator model is inconsistent: "${column.name}" is measured from "${column.offsetFrom}", which is not a numeric column.`);
      for (let i = 0; i < count; i++) values[i] = anchor[i]! + values[i]!;
    }
    numbers.set(column.name, values);
  }

  const rows: SynthRow[] = Array.from({ length: count }, () => ({}));
  for (const column of model.columns) {
    // Written straight into the rows, column by column, so every row gets its keys in table order.
    if (column.kind === 'identifier') fillFakes(rows, column.name, column.fake, column.nullRate, `${String(seed)}:fake:${column.name}`, options.avoid?.get(column.name));
    else if (isDiscreteModel(column)) fillDiscrete(rows, column, codesOf(column.name));
    else formatNumbers(rows, column, numbers.get(column.name)!);
  }
  return rows;
}

function sampleNode(
  node: NetworkNode,
  cardinality: number,
  parentCardinalities: readonly number[],
  sampled: ReadonlyMap<string, Int32Array>,
  count: number,
  uniform: () => number,
): Int32Array {
  const parents = node.parents.map((name) => {
    const codes = sampled.get(name);
    if (codes === undefined) throw new AirlockError('BAD_REQUEST', `Generator model is inconsistent: "${node.column}" comes before its parent "${name}".`);
    return codes;
  });
  const expectedRows = parentCardinalities.reduce((product, card) => product * card, 1);
  if (node.cpt.length !== expectedRows) {
    throw new AirlockError('BAD_REQUEST', `Generator model is inconsistent: "${node.column}" has ${node.cpt.length} table rows, expected ${expectedRows}.`);
  }
  // Cumulative tables once per node; the last entry is forced to 1 so rounding never loses a draw.
  const cumulative = new Float64Array(node.cpt.length * cardinality);
  node.cpt.forEach((row, c) => {
    let total = 0;
    for (let x = 0; x < cardinality; x++) total += row[x] ?? 0;
    let running = 0;
    for (let x = 0; x < cardinality; x++) {
      running += (row[x] ?? 0) / (total > 0 ? total : 1);
      cumulative[c * cardinality + x] = x === cardinality - 1 ? 1 : running;
    }
  });
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let configuration = 0;
    for (let p = 0; p < parents.length; p++) configuration = configuration * parentCardinalities[p]! + parents[p]![i]!;
    const base = configuration * cardinality;
    const u = uniform();
    // Binary search for the first cumulative value above u.
    let lo = 0;
    let hi = cardinality - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[base + mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    out[i] = lo;
  }
  return out;
}

function isDiscreteModel(column: DiscreteColumnModel | NumericColumnModel): column is DiscreteColumnModel {
  return column.kind === 'categorical' || column.kind === 'boolean';
}

function fillDiscrete(rows: SynthRow[], column: DiscreteColumnModel, codes: Int32Array): void {
  const values = column.states.map((state) => formatDiscrete(column.kind, state === OTHER_CATEGORY ? OTHER_VALUE : state));
  for (let i = 0; i < rows.length; i++) rows[i]![column.name] = values[codes[i]!]!;
}

function drawNumbers(column: NumericColumnModel, codes: Int32Array, uniform: () => number): Float64Array {
  const out = new Float64Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const bin = column.states[codes[i]!];
    // Within the sampled bin, a value is drawn from the bin's own inverse CDF.
    out[i] = bin === null || bin === undefined ? Number.NaN : roundToStep(interpolateKnots(bin, uniform()), column.step);
  }
  return out;
}

function formatNumbers(rows: SynthRow[], column: NumericColumnModel, values: Float64Array): void {
  // Whole-second timestamps are written without milliseconds, like most exports.
  const trim = column.kind === 'timestamp' && column.step >= 1000;
  for (let i = 0; i < values.length; i++) {
    const value = formatNumber(column.kind, values[i]!);
    rows[i]![column.name] = trim && typeof value === 'string' ? value.replace('.000Z', 'Z') : value;
  }
}

function fillFakes(rows: SynthRow[], name: string, kind: FakeKind, rate: number, seed: string, avoid: ReadonlySet<string> | undefined): void {
  const next = fakeSource(kind, seed);
  const nulls = createRng(`${seed}:nulls`);
  for (let i = 0; i < rows.length; i++) {
    if (rate > 0 && nulls.next() < rate) {
      rows[i]![name] = null;
      continue;
    }
    let value = next();
    // A chance collision with a real value is redrawn; after a few tries the suffix makes it unique.
    for (let attempt = 0; avoid?.has(value) === true; attempt++) value = attempt < 8 ? next() : `${value} (syn)`;
    rows[i]![name] = value;
  }
}
