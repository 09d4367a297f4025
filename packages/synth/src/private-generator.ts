import { AirlockError } from '@airlock/core';
import { cryptoRandomBits, discreteGaussian, sampleExponentialMechanism, type RandomBits } from '@airlock/noise';
import { sigmaForRho } from '@airlock/privacy';
import { MODEL_FORMAT } from './model.ts';
import type { ColumnModel, GeneratorModel, NetworkNode } from './model.ts';
import { encodeDeclared, encodeRange, requireRange, selectCategories, type PrivateColumn, type PublicDomain } from './private-domain.ts';
import type { SynthColumn, SynthRow, SynthTable } from './types.ts';
import { readColumn, type ColumnData } from './values.ts';

/** Options of {@link fitPrivateGenerator}. */
export interface PrivateFitOptions {
  /** Total privacy loss of the fit, in zCDP. */
  readonly rho: number;
  /** δ spent on choosing undeclared categories (partition selection). */
  readonly delta: number;
  /** Contribution bounding: at most this many rows of one subject are used. */
  readonly maxRowsPerSubject: number;
  /** The subject of each row (same order as the rows); absent: each row is its own subject. */
  readonly subjects?: readonly unknown[] | undefined;
  /** Public domains by column name; see {@link PublicDomain}. */
  readonly domains: ReadonlyMap<string, PublicDomain>;
  /** Label column: root of the network and a parent of every other column. */
  readonly label?: string | undefined;
  readonly seed: number | string;
  /** Most categories kept per undeclared categorical column (default 64). */
  readonly maxCategories?: number | undefined;
  /** Largest marginal measured (cells); larger parent choices are not offered (default 4,096). */
  readonly maxTableCells?: number | undefined;
  /** Randomness for noise and choices: a cryptographic source unless a test gives a seeded one. */
  readonly bits?: RandomBits | undefined;
}

/** How ρ was spent, for the release's report. */
export interface PrivateFitAccount {
  readonly rho: number;
  readonly delta: number;
  readonly maxRowsPerSubject: number;
  /** Rows dropped by contribution bounding. */
  readonly boundedAway: number;
  readonly phases: { readonly selection: number; readonly marginals: number; readonly structure: number; readonly conditionals: number };
  /** σ of the noise on each measured marginal, per phase. */
  readonly sigma: { readonly selection: number | null; readonly marginals: number; readonly conditionals: number | null };
  /** Noisy-count threshold categories had to reach, when any were chosen privately. */
  readonly selectionThreshold: number | null;
  /** Parent choices made by the exponential mechanism, and the ε of each. */
  readonly structureChoices: number;
  readonly structureEpsilon: number | null;
}

/** Shares of ρ: a tenth to choose categories (when any), the rest in thirds as MST does. */
const SELECTION_SHARE = 0.1;
const DEFAULTS = { maxCategories: 64, maxTableCells: 4096 };

/**
 * Fit a generator with (zero-concentrated) differential privacy, so the model — and every row
 * sampled from it — reveals about any one subject no more than ρ allows. A marginal-based method
 * in the spirit of MST (McKenna, Miklau & Sheldon 2021) and PrivBayes (Zhang et al. 2017):
 *
 * 1. Contribution bounding: at most m rows per subject, so one subject moves any count table by
 *    at most m (L2 sensitivity m).
 * 2. Domains are public: declared categories, booleans, or equal-width bins over the policy's
 *    bounds; undeclared categories are chosen by noisy distinct-subject counts and a threshold.
 * 3. Noisy one-way marginals (two-way with the label) with the discrete Gaussian.
 * 4. The network: each column after the first picks one more parent among the columns already
 *    placed, by the exponential mechanism on how far the true three-way (two-way without a label)
 *    table is from what the noisy marginals predict assuming independence — the L1 distance, of
 *    sensitivity m. This is a tree-augmented naive Bayes under a label, a spanning tree without.
 * 5. Noisy marginals of the chosen families, turned into conditional tables (negatives clipped,
 *    smoothed toward the parent-free conditional by one noise scale).
 *
 * Everything after step 5 — sampling, formatting — is post-processing. Identifiers are not
 * modelled and get no null rate (a fake for every row). Throws BAD_REQUEST naming the column when
 * a numeric, date or timestamp column has no public range, and for a ρ that is not positive.
 */
export function fitPrivateGenerator(table: SynthTable, options: PrivateFitOptions): { model: GeneratorModel; account: PrivateFitAccount } {
  if (!(options.rho > 0) || !Number.isFinite(options.rho)) throw new AirlockError('BAD_REQUEST', `The private synthesizer needs ρ > 0, got ${options.rho}.`);
  if (!(Number.isInteger(options.maxRowsPerSubject) && options.maxRowsPerSubject >= 1)) {
    throw new AirlockError('BAD_REQUEST', `maxRowsPerSubject must be a whole number ≥ 1, got ${options.maxRowsPerSubject}.`);
  }
  const settings = { maxCategories: options.maxCategories ?? DEFAULTS.maxCategories, maxTableCells: options.maxTableCells ?? DEFAULTS.maxTableCells };
  const bits = options.bits ?? cryptoRandomBits();
  const m = options.maxRowsPerSubject;
  const { rows, subjects, boundedAway } = boundContributions(table.rows, options.subjects, m);
  const modelled = table.columns.filter((column) => column.kind !== 'identifier');
  if (modelled.length === 0) throw new AirlockError('BAD_REQUEST', 'The table has no column to model (only identifiers).');

  // 1–2. Public domains; undeclared categories chosen with a share of ρ.
  const toSelect = modelled.filter((c) => c.kind === 'categorical' && options.domains.get(c.name)?.kind !== 'values');
  const selectionRho = toSelect.length > 0 ? options.rho * SELECTION_SHARE : 0;
  const selectionSigma = toSelect.length > 0 ? sigmaForRho(Math.sqrt(m), selectionRho / toSelect.length) : null;
  let threshold: number | null = null;
  const data = new Map(modelled.map((column) => [column.name, readColumn(rows, column)]));
  const encoded = new Map<string, PrivateColumn>();
  for (const column of modelled) {
    const columnData = data.get(column.name)!;
    const domain = options.domains.get(column.name);
    if (column.kind === 'boolean') encoded.set(column.name, encodeDeclared(columnData, ['true', 'false']));
    else if (column.kind === 'categorical' && domain?.kind === 'values') encoded.set(column.name, encodeDeclared(columnData, domain.values));
    else if (column.kind === 'categorical') {
      const chosen = selectCategories(columnData, subjects, { sigma: selectionSigma!, maxRowsPerSubject: m, delta: options.delta / toSelect.length, maxCategories: settings.maxCategories, bits });
      encoded.set(column.name, chosen.column);
      threshold = chosen.threshold;
    } else {
      const range = requireRange(column, domain);
      encoded.set(column.name, encodeRange(columnData, range, range.after === undefined ? undefined : anchorValues(column, range.after, data, options.domains)));
    }
  }

  const names = modelled.map((c) => c.name);
  const labelIndex = options.label === undefined ? -1 : names.indexOf(options.label);
  if (options.label !== undefined && labelIndex < 0) throw new AirlockError('BAD_REQUEST', `Label column "${options.label}" is not a modelled (non-identifier) column of the table.`);
  const columns = names.map((name) => encoded.get(name)!);
  const others = names.map((_, i) => i).filter((i) => i !== labelIndex);
  const rest = options.rho - selectionRho;
  const choices = Math.max(0, others.length - 1);
  // MST's thirds; with no parent to choose, the structure's third goes to the measurements.
  const structureRho = choices > 0 ? rest / 3 : 0;
  const marginalRho = (rest - structureRho) / 2;
  const conditionalRho = choices > 0 ? rest - structureRho - marginalRho : 0;

  // 3. First measurements: (label, column) for every other column, or each column alone.
  const base = labelIndex >= 0 ? [labelIndex] : [];
  const firstTables = others.length > 0 ? others.map((v) => [...base, v]) : [base];
  const marginalSigma = sigmaForRho(m, marginalRho / firstTables.length);
  const first = new Map(firstTables.map((vars) => [vars.at(-1)!, noisyTable(columns, vars, marginalSigma, bits)]));

  // 4–5. Parents chosen one column at a time, then measured.
  const parents: number[][] = names.map(() => []);
  for (const v of others) parents[v] = [...base];
  const order = [...base];
  let structureEpsilon: number | null = null;
  let conditionalSigma: number | null = null;
  const families = new Map<number, Float64Array>();
  if (others.length > 0) {
    order.push(others[0]!);
    const unplaced = new Set(others.slice(1));
    structureEpsilon = choices > 0 ? Math.sqrt((8 * structureRho) / choices) : null;
    conditionalSigma = choices > 0 ? sigmaForRho(m, conditionalRho / choices) : null;
    const scoreCache = new Map<string, number>();
    while (unplaced.size > 0) {
      const candidates: Array<{ parent: number; child: number }> = [];
      for (const child of unplaced) {
        for (const parent of order) {
          if (parent === labelIndex) continue;
          if (tableCells(columns, [...base, parent, child]) <= settings.maxTableCells) candidates.push({ parent, child });
        }
      }
      if (candidates.length === 0) {
        // No family fits the size limit: the rest keep the label (or nothing) as their only parent.
        for (const child of unplaced) order.push(child);
        break;
      }
      const scores = candidates.map(({ parent, child }) => {
        const key = `${parent}>${child}`;
        let score = scoreCache.get(key);
        if (score === undefined) scoreCache.set(key, (score = dependenceScore(columns, base, parent, child, first)));
        return score;
      });
      // Scores are floored L1 distances: sensitivity m, plus 1 for the flooring.
      const pick = candidates[sampleExponentialMechanism(scores, structureEpsilon!, m + 1, bits)]!;
      parents[pick.child] = [...base, pick.parent];
      families.set(pick.child, noisyTable(columns, [...base, pick.parent, pick.child], conditionalSigma!, bits));
      order.push(pick.child);
      unplaced.delete(pick.child);
    }
  }

  const network: NetworkNode[] = order.map((v) => ({
    column: names[v]!,
    parents: parents[v]!.map((p) => names[p]!),
    cpt: conditionalTableOf(v, columns, parents[v]!, labelIndex, first, families.get(v), conditionalSigma ?? marginalSigma),
  }));
  const total = sum(first.values().next().value!);
  const columnModels: ColumnModel[] = table.columns.map((column) =>
    column.kind === 'identifier' ? { name: column.name, kind: 'identifier', fake: column.fake ?? 'id', nullRate: 0 } : encoded.get(column.name)!.model,
  );
  const model: GeneratorModel = {
    format: MODEL_FORMAT,
    seed: options.seed,
    trainingRows: Math.max(0, Math.round(total)),
    minCategoryCount: threshold ?? 1,
    label: options.label ?? null,
    columns: columnModels,
    network,
  };
  const account: PrivateFitAccount = {
    rho: options.rho,
    delta: options.delta,
    maxRowsPerSubject: m,
    boundedAway,
    phases: { selection: selectionRho, marginals: marginalRho, structure: structureRho, conditionals: conditionalRho },
    sigma: { selection: selectionSigma, marginals: marginalSigma, conditionals: conditionalSigma },
    selectionThreshold: threshold,
    structureChoices: choices,
    structureEpsilon,
  };
  return { model, account };
}

/** The values a column bounded `after` another is measured from; that column must be of its kind, with bounds of its own. */
function anchorValues(column: SynthColumn, after: string, data: ReadonlyMap<string, ColumnData>, domains: ReadonlyMap<string, PublicDomain>): Float64Array {
  const anchor = data.get(after);
  const domain = domains.get(after);
  if (anchor?.kind !== 'numeric' || anchor.column.kind !== column.kind || domain?.kind !== 'range' || domain.after !== undefined) {
    throw new AirlockError('BAD_REQUEST', `Column "${column.name}" is bounded as after "${after}", which must be a ${column.kind} column with bounds of its own (not itself "after" another).`);
  }
  return anchor.values;
}

/** At most m rows per subject, the first ones in table order; subjects as small integers. */
function boundContributions(all: readonly SynthRow[], subjectOf: readonly unknown[] | undefined, m: number): { rows: SynthRow[]; subjects: Int32Array; boundedAway: number } {
  if (subjectOf === undefined) return { rows: [...all], subjects: Int32Array.from({ length: all.length }, (_, i) => i), boundedAway: 0 };
  if (subjectOf.length !== all.length) throw new AirlockError('INTERNAL', `subjects has ${subjectOf.length} entries for ${all.length} rows`);
  const ids = new Map<unknown, number>();
  const seen: number[] = [];
  const rows: SynthRow[] = [];
  const subjects: number[] = [];
  all.forEach((row, i) => {
    const key = subjectOf[i] ?? `\u0000row-${i}`;
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    seen[id] = (seen[id] ?? 0) + 1;
    if (seen[id]! > m) return;
    rows.push(row);
    subjects.push(id);
  });
  return { rows, subjects: Int32Array.from(subjects), boundedAway: all.length - rows.length };
}

function tableCells(columns: readonly PrivateColumn[], vars: readonly number[]): number {
  return vars.reduce((product, v) => product * columns[v]!.states, 1);
}

/** Counts over `vars` (mixed radix, last fastest). */
function countTable(columns: readonly PrivateColumn[], vars: readonly number[]): Float64Array {
  const counts = new Float64Array(tableCells(columns, vars));
  const n = columns[0]!.codes.length;
  for (let i = 0; i < n; i++) {
    let cell = 0;
    for (const v of vars) cell = cell * columns[v]!.states + columns[v]!.codes[i]!;
    counts[cell]!++;
  }
  return counts;
}

/** Counts plus discrete Gaussian noise of parameter σ in every cell, the empty ones included. */
function noisyTable(columns: readonly PrivateColumn[], vars: readonly number[], sigma: number, bits: RandomBits): Float64Array {
  const counts = countTable(columns, vars);
  for (let c = 0; c < counts.length; c++) counts[c] = counts[c]! + discreteGaussian(sigma, bits);
  return counts;
}

/**
 * ⌊Σ |N(base, parent, child) − N̂(base, parent)·N̂(base, child) / N̂(base)|⌋: how much of the
 * true family table the noisy first marginals miss when parent and child are taken as independent
 * (given the label). One subject moves the true table by at most m in L1; the prediction is
 * already public, so the score's sensitivity is m (m + 1 with the floor).
 */
function dependenceScore(columns: readonly PrivateColumn[], base: readonly number[], parent: number, child: number, first: ReadonlyMap<number, Float64Array>): number {
  const truth = countTable(columns, [...base, parent, child]);
  const baseCard = base.length > 0 ? columns[base[0]!]!.states : 1;
  const pc = columns[parent]!.states;
  const cc = columns[child]!.states;
  const withParent = clipped(first.get(parent)!);
  const withChild = clipped(first.get(child)!);
  let l1 = 0;
  for (let b = 0; b < baseCard; b++) {
    let baseTotal = 0;
    for (let x = 0; x < cc; x++) baseTotal += withChild[b * cc + x]!;
    for (let p = 0; p < pc; p++) {
      for (let x = 0; x < cc; x++) {
        const predicted = baseTotal > 0 ? (withParent[b * pc + p]! * withChild[b * cc + x]!) / baseTotal : 0;
        l1 += Math.abs(truth[(b * pc + p) * cc + x]! - predicted);
      }
    }
  }
  return Math.floor(l1);
}

/**
 * P(child | parents) from noisy counts: negatives clipped to 0, each parent configuration smoothed
 * toward the next coarser estimate (the label-only conditional, or the column's marginal) with
 * `smoothing` pseudo-counts, so a configuration that noise left nearly empty falls back to it.
 */
function conditionalTableOf(
  v: number,
  columns: readonly PrivateColumn[],
  parentSet: readonly number[],
  labelIndex: number,
  first: ReadonlyMap<number, Float64Array>,
  family: Float64Array | undefined,
  smoothing: number,
): number[][] {
  const card = columns[v]!.states;
  if (v === labelIndex) {
    // The label's marginal, averaged over every (label, column) table's projection.
    const totals = new Float64Array(card);
    for (const table of first.values()) {
      const per = table.length / card;
      for (let y = 0; y < card; y++) for (let x = 0; x < per; x++) totals[y] = totals[y]! + table[y * per + x]!;
    }
    return [normalized(clipped(totals))];
  }
  const coarse = clipped(first.get(v)!);
  const coarseRows = coarse.length / card;
  const marginal = new Float64Array(card);
  for (let r = 0; r < coarseRows; r++) for (let x = 0; x < card; x++) marginal[x] = marginal[x]! + coarse[r * card + x]!;
  const prior = normalized(marginal);
  const coarseTable = Array.from({ length: coarseRows }, (_, r) => smooth(coarse, r, card, prior, smoothing));
  if (family === undefined) return coarseTable;
  const fine = clipped(family);
  const parentCard = columns[parentSet.at(-1)!]!.states;
  return Array.from({ length: fine.length / card }, (_, configuration) => smooth(fine, configuration, card, coarseTable[Math.floor(configuration / parentCard)]!, smoothing));
}

function smooth(counts: Float64Array, row: number, card: number, prior: readonly number[], smoothing: number): number[] {
  let total = 0;
  for (let x = 0; x < card; x++) total += counts[row * card + x]!;
  const out: number[] = [];
  for (let x = 0; x < card; x++) out.push(Math.round(((counts[row * card + x]! + smoothing * prior[x]!) / (total + smoothing)) * 1e6) / 1e6);
  return out;
}

/** Counts as probabilities; uniform when nothing is left after clipping. */
function normalized(counts: Float64Array): number[] {
  const total = sum(counts);
  if (total <= 0) return new Array<number>(counts.length).fill(1 / counts.length);
  return Array.from(counts, (count) => count / total);
}

function clipped(table: Float64Array): Float64Array {
  return table.map((count) => (count > 0 ? count : 0));
}

function sum(table: Float64Array): number {
  let total = 0;
  for (const count of table) total += count;
  return total;
}
