import { assertNoNaN, assertNonEmpty } from './validate.ts';

/** One bin of a numeric {@link populationStabilityIndex}. */
export interface PsiBin {
  /** Exclusive lower edge; −Infinity for the first bin. */
  lower: number;
  /** Inclusive upper edge; +Infinity for the last bin. */
  upper: number;
  /** Share of `expected` in (lower, upper], unfloored. */
  expectedShare: number;
  /** Share of `actual` in (lower, upper], unfloored. */
  actualShare: number;
  /** This bin's term (a − e)·ln(a/e), shares floored at epsilon; never negative. */
  contribution: number;
}

/** One category of a {@link categoricalPsi}. */
export interface CategoricalPsiBin {
  /** The category; `null` values are reported as {@link NULL_CATEGORY}. */
  category: string;
  /** Share of `expected` in this category, unfloored. */
  expectedShare: number;
  /** Share of `actual` in this category, unfloored. */
  actualShare: number;
  /** This category's term (a − e)·ln(a/e), shares floored at epsilon; never negative. */
  contribution: number;
}

/** Population stability index with its per-bin terms; `psi` is the sum of the contributions. */
export interface PsiResult<Bin> {
  psi: number;
  bins: Bin[];
}

/** Options for {@link populationStabilityIndex}. */
export interface PsiOptions {
  /** Number of quantile bins cut from `expected` (default 10); fewer when `expected` has ties. */
  bins?: number;
  /** Floor for a share before the logarithm so an empty bin gives a finite term (default 1e−4). */
  epsilon?: number;
}

/** Options for {@link categoricalPsi}. */
export interface CategoricalPsiOptions {
  /** Floor for a share before the logarithm so an absent category gives a finite term (default 1e−4). */
  epsilon?: number;
}

/** Label under which {@link categoricalPsi} reports `null` values (counted apart from any real string). */
export const NULL_CATEGORY = '(null)';

const DEFAULT_BINS = 10;
const DEFAULT_EPSILON = 1e-4;

/**
 * Population stability index of a numeric feature: how far the distribution of `actual` (e.g. the
 * synthetic or the scoring data) has moved from `expected` (the reference, e.g. the training data).
 *
 * PSI = Σ_bins (aᵢ − eᵢ)·ln(aᵢ/eᵢ), where eᵢ and aᵢ are the shares of each sample in bin i. It is
 * the symmetrised Kullback–Leibler divergence (Jeffreys divergence) of the binned distributions, so
 * it is ≥ 0 and 0 only when the binned shares agree. See {@link psiLevel} for the usual reading.
 * Reference: B. Yurdakul, "Statistical Properties of Population Stability Index", PhD dissertation,
 * Western Michigan University (2018); N. Siddiqi, "Credit Risk Scorecards" (Wiley, 2006), ch. 8.
 *
 * Binning: the cut points are the i/bins quantiles of `expected` (i = 1 … bins−1), each the smallest
 * observed value v with at least that share of `expected` ≤ v (the inverse empirical CDF,
 * Hyndman & Fan type 1). Bins are right-closed, (lower, upper], the first open to −∞ and the last to
 * +∞, so every value of `actual` lands somewhere; repeated cut points (ties in `expected`) are merged,
 * giving fewer bins. A bin empty in `expected` (e.g. above its maximum) still counts: shares are
 * floored at `epsilon` inside the formula, so mass in it raises PSI.
 *
 * Throws RangeError if either input is empty or holds NaN (naming its index), if `bins` is not an
 * integer ≥ 1, or if `epsilon` is not in (0, 1).
 */
export function populationStabilityIndex(
  expected: ArrayLike<number>,
  actual: ArrayLike<number>,
  options: PsiOptions = {},
): PsiResult<PsiBin> {
  const fn = 'populationStabilityIndex';
  const binCount = options.bins ?? DEFAULT_BINS;
  if (!Number.isInteger(binCount) || binCount < 1) throw new RangeError(`${fn}: bins must be an integer ≥ 1, got ${binCount}`);
  const epsilon = checkEpsilon(fn, options.epsilon);
  assertNonEmpty(fn, 'expected', expected);
  assertNonEmpty(fn, 'actual', actual);
  assertNoNaN(fn, 'expected', expected);
  assertNoNaN(fn, 'actual', actual);

  const sorted = Float64Array.from(expected).sort();
  const n = sorted.length;
  const edges: number[] = [];
  for (let i = 1; i < binCount; i++) {
    // Integer arithmetic first, so the rank is exact: ceil(i·n/bins) is the 1-based rank of the quantile.
    const edge = sorted[Math.ceil((i * n) / binCount) - 1]!;
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }

  const expectedCounts = countInBins(expected, edges);
  const actualCounts = countInBins(actual, edges);
  const bins: PsiBin[] = expectedCounts.map((count, j) => {
    const expectedShare = count / expected.length;
    const actualShare = actualCounts[j]! / actual.length;
    return {
      lower: j === 0 ? -Infinity : edges[j - 1]!,
      upper: j === edges.length ? Infinity : edges[j]!,
      expectedShare,
      actualShare,
      contribution: psiTerm(expectedShare, actualShare, epsilon),
    };
  });
  return { psi: sumContributions(bins), bins };
}

/**
 * Population stability index of a categorical feature; the same formula as
 * {@link populationStabilityIndex} with one bin per category. The categories are the union of those
 * seen in either input, in order of first appearance in `expected`, then in `actual`. `null` is a
 * category of its own, reported as {@link NULL_CATEGORY}. A category present on one side only counts
 * with its missing share floored at `epsilon`.
 *
 * Throws RangeError if either input is empty or if `epsilon` is not in (0, 1).
 */
export function categoricalPsi(
  expected: readonly (string | null)[],
  actual: readonly (string | null)[],
  options: CategoricalPsiOptions = {},
): PsiResult<CategoricalPsiBin> {
  const fn = 'categoricalPsi';
  const epsilon = checkEpsilon(fn, options.epsilon);
  assertNonEmpty(fn, 'expected', expected);
  assertNonEmpty(fn, 'actual', actual);
  // Keyed by the value itself, so null and the string '(null)' are counted apart.
  const counts = new Map<string | null, { expected: number; actual: number }>();
  const tally = (values: readonly (string | null)[], side: 'expected' | 'actual'): void => {
    for (const value of values) {
      let entry = counts.get(value);
      if (entry === undefined) {
        entry = { expected: 0, actual: 0 };
        counts.set(value, entry);
      }
      entry[side]++;
    }
  };
  tally(expected, 'expected');
  tally(actual, 'actual');

  const bins: CategoricalPsiBin[] = [...counts].map(([category, count]) => {
    const expectedShare = count.expected / expected.length;
    const actualShare = count.actual / actual.length;
    return {
      category: category ?? NULL_CATEGORY,
      expectedShare,
      actualShare,
      contribution: psiTerm(expectedShare, actualShare, epsilon),
    };
  });
  return { psi: sumContributions(bins), bins };
}

/**
 * The customary reading of a PSI value: below 0.1 `'stable'` (no meaningful shift), from 0.1 up to
 * but not including 0.25 `'watch'` (a moderate shift worth investigating), 0.25 and above `'act'`
 * (a major shift: retrain or rebuild). Rules of thumb from credit scoring practice, not a test:
 * Siddiqi, "Credit Risk Scorecards" (2006), ch. 8; Yurdakul (2018) discusses their sample-size
 * dependence. Throws RangeError for NaN or a negative value, which no PSI can take.
 */
export function psiLevel(psi: number): 'stable' | 'watch' | 'act' {
  if (!(psi >= 0)) throw new RangeError(`psiLevel: psi must be a number ≥ 0, got ${psi}`);
  if (psi < 0.1) return 'stable';
  if (psi < 0.25) return 'watch';
  return 'act';
}

/**
 * Two-sample Kolmogorov–Smirnov statistic D = sup_x |F_a(x) − F_b(x)|, the largest vertical gap
 * between the two empirical CDFs, in [0, 1]. Ties, within or across samples, are stepped over
 * together, so D is evaluated only at points where both ECDFs are complete. O((m + n) log(m + n)).
 * Reference: Smirnov, Bull. Moscow Univ. 2 (1939); Hollander, Wolfe & Chicken, "Nonparametric
 * Statistical Methods" (3rd ed., 2014), §5.4.
 * Throws RangeError if either input is empty or holds NaN (naming its index).
 */
export function ksStatistic(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assertNonEmpty('ksStatistic', 'a', a);
  assertNonEmpty('ksStatistic', 'b', b);
  assertNoNaN('ksStatistic', 'a', a);
  assertNoNaN('ksStatistic', 'b', b);
  const sa = Float64Array.from(a).sort();
  const sb = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let d = 0;
  // Once one sample is exhausted its ECDF is 1 and the gap only shrinks, so stopping there is exact.
  while (i < sa.length && j < sb.length) {
    const x = Math.min(sa[i]!, sb[j]!);
    while (i < sa.length && sa[i] === x) i++;
    while (j < sb.length && sb[j] === x) j++;
    d = Math.max(d, Math.abs(i / sa.length - j / sb.length));
  }
  return d;
}

function checkEpsilon(fn: string, epsilon: number | undefined): number {
  const value = epsilon ?? DEFAULT_EPSILON;
  if (!(value > 0 && value < 1)) throw new RangeError(`${fn}: epsilon must be in (0, 1), got ${value}`);
  return value;
}

/** (a − e)·ln(a/e) with both shares floored at epsilon; 0 when both are empty. */
function psiTerm(expectedShare: number, actualShare: number, epsilon: number): number {
  const e = Math.max(expectedShare, epsilon);
  const a = Math.max(actualShare, epsilon);
  return (a - e) * Math.log(a / e);
}

function sumContributions(bins: readonly { contribution: number }[]): number {
  let total = 0;
  for (const bin of bins) total += bin.contribution;
  return total;
}

/** Counts per right-closed bin: value v goes to bin j = number of edges strictly below v. */
function countInBins(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]!++;
  }
  return counts;
}
