import { ksStatistic, pearson } from '@airlock/metrics';
import type { SynthColumn, SynthRow } from './types.ts';
import { modelledColumns, readColumn } from './values.ts';
import type { ColumnData } from './values.ts';

/** One column's shape score: 1 − KS statistic (numbers, dates) or 1 − total variation distance (categories). */
export interface ColumnShapeScore {
  readonly column: string;
  readonly metric: 'ks_complement' | 'tv_complement';
  readonly score: number;
}

/** One pair's trend score. */
export interface ColumnPairScore {
  readonly columns: readonly [string, string];
  readonly metric: 'correlation_similarity' | 'contingency_similarity';
  readonly score: number;
  /** Pearson correlations, for correlation similarity. */
  readonly realCorrelation?: number | undefined;
  readonly syntheticCorrelation?: number | undefined;
}

/**
 * Statistical similarity of synthetic to real rows, with SDMetrics' definitions so figures
 * compare with published SDGym results:
 * - column shapes: KSComplement (1 − two-sample KS statistic, nulls dropped) for numeric, integer,
 *   date and timestamp columns; TVComplement (1 − total variation distance of the frequencies,
 *   null counted as a value) for categorical and boolean columns;
 * - column pair trends: CorrelationSimilarity 1 − |r_real − r_synthetic| / 2 (Pearson, rows with a
 *   null in either column dropped) when both columns are numeric; otherwise ContingencySimilarity,
 *   1 − total variation distance between the two normalized contingency tables, numbers cut into
 *   10 equal-width bins over the real range (synthetic values outside it go to the end bins);
 *   a numeric pair whose correlation is undefined (a constant column) is scored by contingency too;
 * - overall: mean of the column-shapes score and the pair-trends score.
 * Identifier columns are left out. Scores are in [0, 1], 1 best.
 */
export interface QualityReport {
  readonly overall: number;
  readonly columnShapes: { readonly score: number; readonly columns: readonly ColumnShapeScore[] };
  readonly columnPairTrends: { readonly score: number; readonly pairs: readonly ColumnPairScore[] };
}

const CONTINGENCY_BINS = 10;

/** Compare synthetic rows with real rows column by column and pair by pair; see {@link QualityReport}. */
export function qualityReport(real: readonly SynthRow[], synthetic: readonly SynthRow[], columns: readonly SynthColumn[]): QualityReport {
  const used = modelledColumns(columns);
  const realData = used.map((column) => readColumn(real, column));
  const syntheticData = used.map((column) => readColumn(synthetic, column));
  const coded = used.map((_, i) => jointCodes(realData[i]!, syntheticData[i]!));

  const shapes: ColumnShapeScore[] = used.map((column, i) => {
    const r = realData[i]!;
    const s = syntheticData[i]!;
    if (r.kind === 'numeric' && s.kind === 'numeric') {
      return { column: column.name, metric: 'ks_complement', score: 1 - ksDistance(present(r.values), present(s.values)) };
    }
    const codes = coded[i]!;
    return { column: column.name, metric: 'tv_complement', score: 1 - totalVariation(codes.real, codes.synthetic, codes.cardinality) };
  });

  const pairs: ColumnPairScore[] = [];
  for (let i = 0; i < used.length; i++) {
    for (let j = i + 1; j < used.length; j++) {
      const name: [string, string] = [used[i]!.name, used[j]!.name];
      const ri = realData[i]!;
      const rj = realData[j]!;
      const si = syntheticData[i]!;
      const sj = syntheticData[j]!;
      if (ri.kind === 'numeric' && rj.kind === 'numeric' && si.kind === 'numeric' && sj.kind === 'numeric') {
        const realCorrelation = pairwisePearson(ri.values, rj.values);
        const syntheticCorrelation = pairwisePearson(si.values, sj.values);
        if (Number.isFinite(realCorrelation) && Number.isFinite(syntheticCorrelation)) {
          pairs.push({ columns: name, metric: 'correlation_similarity', score: 1 - Math.abs(realCorrelation - syntheticCorrelation) / 2, realCorrelation, syntheticCorrelation });
          continue;
        }
      }
      pairs.push({ columns: name, metric: 'contingency_similarity', score: 1 - contingencyDistance(coded[i]!, coded[j]!) });
    }
  }

  const shapeScore = mean(shapes.map((shape) => shape.score));
  const pairScore = mean(pairs.map((pair) => pair.score));
  const parts = [shapeScore, pairScore].filter((part) => !Number.isNaN(part));
  return {
    overall: parts.length === 0 ? Number.NaN : mean(parts),
    columnShapes: { score: shapeScore, columns: shapes },
    columnPairTrends: { score: pairScore, pairs },
  };
}

interface Codes {
  readonly real: Int32Array;
  readonly synthetic: Int32Array;
  readonly cardinality: number;
}

/**
 * Small integer codes for one column over real and synthetic rows together: categories share one
 * dictionary (null is a category); numbers fall in 10 equal-width bins of the real range, plus a
 * null bin. Integer codes keep the pair loop fast (no string keys per cell).
 */
function jointCodes(real: ColumnData, synthetic: ColumnData): Codes {
  if (real.kind === 'numeric' && synthetic.kind === 'numeric') {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const value of real.values) {
      if (Number.isNaN(value)) continue;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    const width = max > min ? (max - min) / CONTINGENCY_BINS : 0;
    const bin = (value: number): number => {
      if (Number.isNaN(value)) return CONTINGENCY_BINS;
      if (!(width > 0)) return 0;
      return Math.min(CONTINGENCY_BINS - 1, Math.max(0, Math.floor((value - min) / width)));
    };
    return { real: Int32Array.from(real.values, bin), synthetic: Int32Array.from(synthetic.values, bin), cardinality: CONTINGENCY_BINS + 1 };
  }
  const dictionary = new Map<string | null, number>();
  const encode = (values: ArrayLike<string | number | null>): Int32Array => {
    const out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const raw = values[i]!;
      const value = typeof raw === 'number' ? (Number.isNaN(raw) ? null : String(raw)) : raw;
      let code = dictionary.get(value);
      if (code === undefined) {
        code = dictionary.size;
        dictionary.set(value, code);
      }
      out[i] = code;
    }
    return out;
  };
  const realCodes = encode(real.values);
  const syntheticCodes = encode(synthetic.values);
  return { real: realCodes, synthetic: syntheticCodes, cardinality: Math.max(1, dictionary.size) };
}

function totalVariation(a: Int32Array, b: Int32Array, cardinality: number): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : 1;
  const p = new Float64Array(cardinality);
  const q = new Float64Array(cardinality);
  for (const code of a) p[code]!++;
  for (const code of b) q[code]!++;
  let distance = 0;
  for (let k = 0; k < cardinality; k++) distance += Math.abs(p[k]! / a.length - q[k]! / b.length);
  return distance / 2;
}

function contingencyDistance(first: Codes, second: Codes): number {
  const cardinality = first.cardinality * second.cardinality;
  const joint = (a: Int32Array, b: Int32Array): Int32Array => {
    const out = new Int32Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = a[i]! * second.cardinality + b[i]!;
    return out;
  };
  return totalVariation(joint(first.real, second.real), joint(first.synthetic, second.synthetic), cardinality);
}

function present(values: Float64Array): Float64Array {
  return values.filter((value) => !Number.isNaN(value));
}

function ksDistance(a: Float64Array, b: Float64Array): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : 1;
  return ksStatistic(a, b);
}

function pairwisePearson(x: Float64Array, y: Float64Array): number {
  const keep: number[] = [];
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]!) && !Number.isNaN(y[i]!)) keep.push(i);
  if (keep.length < 2) return Number.NaN;
  return pearson(
    keep.map((i) => x[i]!),
    keep.map((i) => y[i]!),
  );
}

function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let total = 0;
  for (const value of values) total += value;
  return total / values.length;
}
