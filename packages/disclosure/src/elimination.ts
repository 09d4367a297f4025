/*
 * Exact sparse linear algebra for "which unknowns does a system of linear equations pin down?".
 *
 * An unknown x_j is uniquely determined by A·x = b (b known, system consistent) exactly when the
 * unit vector e_j lies in the row space of A: then some combination of the equations reads
 * "x_j = value". Equivalently, every solution of A·x = 0 has x_j = 0. (In reduced row echelon form:
 * column j is a pivot column whose pivot row has no entry in a free column.)
 *
 * How it is decided, without building the fully reduced form (whose fill-in is what makes a naive
 * RREF slow on cube margins):
 * 1. Sparse forward elimination to an echelon form, picking pivots Markowitz-style (equations with
 *    one unknown first, then the column in fewest equations, on its shortest equation) so that
 *    little fill-in is created. Every row operation is recorded.
 * 2. One exact solution x of A·x = 0, by back-substitution from random non-zero values of the free
 *    columns. Every unknown with x_j ≠ 0 is thereby proven NOT determined.
 * 3. Each remaining unknown (x_j = 0: determined, or rarely an unlucky draw) gets an exact test:
 *    e_j is reduced by the echelon rows and is in the row space iff nothing is left.
 * 4. On request, the certificate of a determined unknown: the combination of the original equations
 *    that isolates it, found by undoing the recorded row operations. It tells the caller which
 *    equations to break (see suppressCells).
 * The answers are exact; the random draw only decides how many exact tests step 3 runs. It is
 * seeded, so runs are reproducible.
 *
 * Arithmetic is exact. Rows keep integer coefficients and are combined fraction-free
 * (r ← p_c·r − r_c·p, divided by the gcd of the entries when p_c ≠ ±1), so nothing is ever
 * rounded. Margin equations have 0/1 coefficients and stay small, so JavaScript numbers (exact up
 * to 2^53) do the work; every product is checked, and on the first one that would leave the exact
 * range the computation is redone with BigInt. Floats with a tolerance were rejected: a wrong "not
 * determined" here is a disclosure, and no tolerance is safe to justify.
 */
import { createRng, type Rng } from '@airlock/core';

/**
 * One equation over unknown columns: integer coefficients `vals` on the columns `cols` (ascending,
 * distinct, non-zero coefficients). Its right-hand side does not matter for uniqueness.
 */
export interface SparseRow {
  readonly cols: readonly number[];
  readonly vals: readonly number[];
}

/** What {@link determinedColumns} found. */
export interface EliminationResult {
  /** Columns whose unknown is uniquely determined, ascending. */
  determined: number[];
  /** Rank of the system (number of independent equations). */
  rank: number;
  /** `bigint` when the exact-number range was exceeded and the work was redone with BigInt. */
  arithmetic: 'number' | 'bigint';
  /** Unknowns that needed the exact one-by-one test of step 3 (for tests and metrics). */
  exactTests: number;
  /**
   * For a determined column j: non-zero coefficients y by input row index such that
   * Σ y_i·row_i = λ·e_j for some λ ≠ 0, i.e. the combination of equations that isolates x_j.
   * Throws RangeError when j is not determined.
   */
  certificate(column: number): Map<number, bigint>;
  /** Fast modular estimates for choosing what to change in the system; see {@link Probe}. */
  probe(): Probe;
}

/**
 * Modular (mod {@link PRIME}) tools over the same elimination, for steering a search cheaply.
 * A non-zero result mod PRIME proves the exact value non-zero; a zero is only probably zero, so
 * nothing here may be used as proof that something is safe.
 */
export interface Probe {
  /**
   * A random z with Σ z_i·row_i = 0 (mod PRIME), by input row: a random dependency among the
   * equations. A new column a lies in the column space only if Σ z_i·a_i = 0.
   */
  leftNull(): Map<number, number>;
  /**
   * For g (mod PRIME) on determined columns: y by input row with Σ y_i·row_i = λ·g, λ ≠ 0.
   * Undefined when a pivot is 0 mod PRIME (vanishingly rare).
   */
  combination(g: ReadonlyMap<number, number>): Map<number, number> | undefined;
  /**
   * For a new column a, given as its non-zero entries by input row (mod PRIME): β by column with
   * A·β = a (mod PRIME), or undefined when a is not in the column space (or a pivot is 0 mod PRIME).
   */
  solveColumn(column: ReadonlyMap<number, number>): Map<number, number> | undefined;
}

/** Integer arithmetic the elimination needs; one implementation on numbers, one on BigInt. */
interface IntegerOps<T> {
  readonly kind: 'number' | 'bigint';
  readonly zero: T;
  readonly one: T;
  from(n: number): T;
  isZero(a: T): boolean;
  isUnit(a: T): boolean;
  isOne(a: T): boolean;
  /** a·x − b·y, exactly (the number implementation throws {@link Overflow} when it cannot). */
  combine(a: T, x: T, b: T, y: T): T;
  /** a·x, exactly. */
  times(a: T, x: T): T;
  /** gcd(|a|, |b|). */
  gcd(a: T, b: T): T;
  /** a / d, exact when d divides a. */
  divide(a: T, d: T): T;
  divides(d: T, a: T): boolean;
  abs(a: T): T;
  /** Worth dividing a combination by its gcd before it grows further (keeps numbers exact longer). */
  isLarge(a: T): boolean;
  toBigInt(a: T): bigint;
}

/** Thrown by the number arithmetic when a result would not be exact; caught to switch to BigInt. */
class Overflow extends Error {}

// Certificates are divided by the gcd of their entries once one passes these bounds: only their
// direction matters, and small entries keep number arithmetic exact and BigInt arithmetic fast.
const LARGE = 2 ** 30;
const LARGE_BIG = 1n << 256n;

const numberOps: IntegerOps<number> = {
  kind: 'number',
  zero: 0,
  one: 1,
  from: (n) => n,
  isZero: (a) => a === 0,
  isUnit: (a) => a === 1 || a === -1,
  isOne: (a) => a === 1,
  combine: (a, x, b, y) => {
    const p = a * x;
    const q = b * y;
    const r = p - q;
    // A true result beyond ±(2^53 − 1) rounds to a value outside the safe range too, so passing
    // these three checks proves p, q and r are exact.
    if (Number.isSafeInteger(p) && Number.isSafeInteger(q) && Number.isSafeInteger(r)) return r;
    throw new Overflow();
  },
  times: (a, x) => {
    const p = a * x;
    if (Number.isSafeInteger(p)) return p;
    throw new Overflow();
  },
  gcd: (a, b) => {
    let x = Math.abs(a);
    let y = Math.abs(b);
    while (y !== 0) [x, y] = [y, x % y];
    return x;
  },
  divide: (a, d) => a / d,
  divides: (d, a) => a % d === 0,
  abs: (a) => Math.abs(a),
  isLarge: (a) => a > LARGE || a < -LARGE,
  toBigInt: (a) => BigInt(a),
};

const bigintOps: IntegerOps<bigint> = {
  kind: 'bigint',
  zero: 0n,
  one: 1n,
  from: (n) => BigInt(n),
  isZero: (a) => a === 0n,
  isUnit: (a) => a === 1n || a === -1n,
  isOne: (a) => a === 1n,
  combine: (a, x, b, y) => a * x - b * y,
  times: (a, x) => a * x,
  gcd: (a, b) => {
    let x = a < 0n ? -a : a;
    let y = b < 0n ? -b : b;
    while (y !== 0n) [x, y] = [y, x % y];
    return x;
  },
  divide: (a, d) => a / d,
  divides: (d, a) => a % d === 0n,
  abs: (a) => (a < 0n ? -a : a),
  isLarge: (a) => a > LARGE_BIG || a < -LARGE_BIG,
  toBigInt: (a) => a,
};

/** An echelon row: its columns (in no particular order) and their coefficients. */
interface Row<T> {
  cols: number[];
  vals: T[];
}

/** An equation after validation, with its position in the caller's list. */
interface PreparedRow extends SparseRow {
  readonly source: number;
}

/**
 * The echelon form in pivot order (row k contains its pivot and only later pivots or free
 * columns), and the tape of row operations that produced it: operation t replaced row
 * `target[t]` by (a[t]·row − b[t]·(pivot row `pivotRow[t]`)) / g[t]. Row numbers are positions in
 * the prepared list.
 */
interface Echelon<T> {
  rows: Row<T>[];
  pivots: number[];
  pivotValues: T[];
  /** Prepared-row number of each echelon row. */
  sources: number[];
  /** Position in `rows` of each column's pivot row, -1 for a free column. */
  pivotRowOf: Int32Array;
  tape: Tape<T>;
}

interface Tape<T> {
  target: number[];
  pivotRow: number[];
  a: T[];
  b: T[];
  g: T[];
  /** Operations on each prepared row, ascending, and each operation's position in that list. */
  opsOf: number[][];
  position: number[];
}

/**
 * Free columns draw from 1..2^16: small enough to keep back-substitution far from 2^53, large
 * enough that a non-determined unknown comes out 0 with probability at most 2^-16 (it is a
 * non-zero linear form in the draws; Schwartz–Zippel), which only costs one exact test.
 */
const RANDOM_RANGE = 1 << 16;

/** 2^26 − 5, the largest prime below 2^26: a product of two residues stays below 2^52, exact in a double. */
export const PRIME = 67_108_859;

/**
 * Which unknowns (columns 0 … columnCount − 1) the equations determine uniquely, with a certificate
 * for each; exact, see the module comment. `arithmetic: 'bigint'` forces BigInt from the start (for
 * tests). Throws RangeError for a malformed row (unsorted or out-of-range columns, non-integer or
 * zero coefficients): rows are built by this package, so that is a bug, not bad user input.
 */
export function determinedColumns(
  rows: readonly SparseRow[],
  columnCount: number,
  options: { arithmetic?: 'auto' | 'bigint' } = {},
): EliminationResult {
  const { prepared, duplicates } = prepareRows(rows, columnCount);
  if (options.arithmetic !== 'bigint') {
    try {
      return solve(numberOps, prepared, duplicates, columnCount);
    } catch (error) {
      if (!(error instanceof Overflow)) throw error;
    }
  }
  return solve(bigintOps, prepared, duplicates, columnCount);
}

function solve<T>(ops: IntegerOps<T>, prepared: readonly PreparedRow[], duplicates: Duplicates, columnCount: number): EliminationResult {
  const echelon = forwardEliminate(ops, prepared, columnCount);
  const x = nullVector(ops, echelon, columnCount, createRng('airlock-disclosure-null-vector'));
  const determined: number[] = [];
  let exactTests = 0;
  for (const pivot of echelon.pivots) {
    if (!ops.isZero(x[pivot]!)) continue;
    exactTests++;
    if (reduceUnitVector(ops, echelon, pivot).inRowSpace) determined.push(pivot);
  }
  determined.sort((a, b) => a - b);
  const isDetermined = new Set(determined);
  let widened: Echelon<bigint> | undefined;
  const certificate = (column: number): Map<number, bigint> => {
    if (!isDetermined.has(column)) throw new RangeError(`column ${column} is not determined, so it has no certificate`);
    let weights: Map<number, bigint>;
    try {
      weights = certify(ops, echelon, column);
    } catch (error) {
      if (!(error instanceof Overflow)) throw error;
      widened ??= widen(ops, echelon);
      weights = certify(bigintOps, widened, column);
    }
    const result = new Map<number, bigint>();
    for (const [r, w] of weights) result.set(prepared[r]!.source, w);
    return result;
  };
  let probe: Probe | undefined;
  return {
    determined,
    rank: echelon.rows.length,
    arithmetic: ops.kind,
    exactTests,
    certificate,
    probe: () => (probe ??= createProbe(ops, echelon, prepared, duplicates)),
  };
}

/**
 * The combination of prepared rows that yields a multiple of e_j. Reducing e_j by the echelon
 * rows gives it as a combination of echelon rows; undoing the tape from the latest operation back
 * turns that into a combination of the original rows. Operation t (row_r ← (a·row_r − b·row_p)/g)
 * contributes w_r·row_r = w_r·(a·old_r − b·row_p)/g; to stay with integers the whole combination is
 * multiplied by g instead (only its direction matters). Only the operations on rows that take part
 * are visited, latest first, through a heap.
 */
function certify<T>(ops: IntegerOps<T>, echelon: Echelon<T>, j: number): Map<number, bigint> {
  const { weights: echelonWeights } = reduceUnitVector(ops, echelon, j);
  const { target, pivotRow, a, b, g, opsOf, position } = echelon.tape;
  const w = new Map<number, T>();
  const entered = new Set<number>();
  const pending = new MinHeap(); // holds −t, so the latest operation comes first
  const enter = (r: number): void => {
    if (entered.has(r)) return;
    entered.add(r);
    const list = opsOf[r]!;
    if (list.length > 0) pending.push(-list[list.length - 1]!);
  };
  for (const [k, weight] of echelonWeights) {
    w.set(echelon.sources[k]!, weight);
    enter(echelon.sources[k]!);
  }
  while (pending.size > 0) {
    const t = -pending.pop();
    const r = target[t]!;
    const before = position[t]! - 1;
    if (before >= 0) pending.push(-opsOf[r]![before]!);
    const wr = w.get(r);
    if (wr === undefined) continue; // row r dropped out of the combination
    const p = pivotRow[t]!;
    const gt = g[t]!;
    if (!ops.isOne(gt)) for (const [i, wi] of w) if (i !== r) w.set(i, ops.times(gt, wi));
    const wp = ops.combine(ops.one, w.get(p) ?? ops.zero, wr, b[t]!);
    if (ops.isZero(wp)) w.delete(p);
    else w.set(p, wp);
    enter(p);
    w.set(r, ops.times(a[t]!, wr));
    if (ops.isLarge(wp) || ops.isLarge(w.get(r)!)) divideByGcd(ops, w);
  }
  const result = new Map<number, bigint>();
  for (const [r, wr] of w) result.set(r, ops.toBigInt(wr));
  return result;
}

function divideByGcd<T>(ops: IntegerOps<T>, w: Map<number, T>): void {
  let g = ops.zero;
  for (const v of w.values()) {
    g = ops.gcd(g, v);
    if (ops.isOne(g)) return;
  }
  if (!ops.isZero(g)) for (const [i, v] of w) w.set(i, ops.divide(v, g));
}

/** The same echelon form and tape in BigInt, for a certificate whose numbers outgrow 2^53. */
function widen<T>(ops: IntegerOps<T>, echelon: Echelon<T>): Echelon<bigint> {
  const big = (v: T): bigint => ops.toBigInt(v);
  const { tape } = echelon;
  return {
    rows: echelon.rows.map((row) => ({ cols: row.cols, vals: row.vals.map(big) })),
    pivots: echelon.pivots,
    pivotValues: echelon.pivotValues.map(big),
    sources: echelon.sources,
    pivotRowOf: echelon.pivotRowOf,
    tape: { ...tape, a: tape.a.map(big), b: tape.b.map(big), g: tape.g.map(big) },
  };
}

/** Input rows dropped as repeats: [input row, prepared position of the row it repeats]. */
type Duplicates = readonly (readonly [number, number])[];

/** Validates and drops empty and duplicate equations. */
function prepareRows(rows: readonly SparseRow[], columnCount: number): { prepared: PreparedRow[]; duplicates: Duplicates } {
  const seen = new Map<string, number>();
  const kept: PreparedRow[] = [];
  const duplicates: [number, number][] = [];
  for (const [source, row] of rows.entries()) {
    if (row.cols.length !== row.vals.length) throw new RangeError('row cols and vals differ in length');
    for (let i = 0; i < row.cols.length; i++) {
      const col = row.cols[i]!;
      const val = row.vals[i]!;
      if (!Number.isInteger(col) || col < 0 || col >= columnCount) throw new RangeError(`column ${col} is outside 0..${columnCount - 1}`);
      if (i > 0 && col <= row.cols[i - 1]!) throw new RangeError('row columns must be strictly ascending');
      if (!Number.isSafeInteger(val) || val === 0) throw new RangeError(`coefficient ${val} must be a non-zero safe integer`);
    }
    if (row.cols.length === 0) continue;
    // Cube margins repeat the same set of unknowns often (e.g. a quarter holding one month of the
    // response); a repeated equation adds nothing and would cost an elimination to discover.
    const key = `${row.cols.join(',')}|${row.vals.join(',')}`;
    const first = seen.get(key);
    if (first !== undefined) {
      duplicates.push([source, first]);
      continue;
    }
    seen.set(key, kept.length);
    kept.push({ cols: row.cols, vals: row.vals, source });
  }
  return { prepared: kept, duplicates };
}

/**
 * Sparse Gaussian elimination to echelon form. Pivot order: an equation with a single unknown
 * first (it eliminates that unknown everywhere without any fill-in), otherwise the column that
 * fewest active equations contain, on the shortest of them (Markowitz's rule, which bounds the
 * fill-in of each step by (row length − 1)·(column count − 1)). Ties go to a ±1 coefficient, then
 * the lowest index, so the result is deterministic.
 *
 * Active rows are hash maps so that subtracting a short pivot row from a long row (the grand total
 * minus a one-unknown margin) costs the pivot row's length, not the long row's.
 */
function forwardEliminate<T>(ops: IntegerOps<T>, input: readonly PreparedRow[], columnCount: number): Echelon<T> {
  const rows: Map<number, T>[] = input.map((row) => new Map(row.cols.map((c, i) => [c, ops.from(row.vals[i]!)])));
  const active = new Uint8Array(rows.length).fill(1);
  const pivotRowOf = new Int32Array(columnCount).fill(-1);
  // colRows[c]: rows that may contain c (stale entries are checked on use); colCount[c]: active rows that do.
  const colRows: number[][] = Array.from({ length: columnCount }, () => []);
  const colCount = new Int32Array(columnCount);
  const heap = new MinHeap();
  const key = (c: number): number => colCount[c]! * columnCount + c;
  const singles: number[] = [];

  rows.forEach((row, r) => {
    for (const c of row.keys()) {
      colRows[c]!.push(r);
      colCount[c]!++;
    }
    if (row.size === 1) singles.push(r);
  });
  for (let c = 0; c < columnCount; c++) if (colCount[c]! > 0) heap.push(key(c));

  const tape: Tape<T> = { target: [], pivotRow: [], a: [], b: [], g: [], opsOf: rows.map(() => []), position: [] };
  const echelon: Echelon<T> = { rows: [], pivots: [], pivotValues: [], sources: [], pivotRowOf, tape };
  const changed = (c: number): void => {
    if (pivotRowOf[c]! < 0 && colCount[c]! > 0) heap.push(key(c));
  };

  for (;;) {
    let pivotRow = -1;
    let pivot = -1;
    while (singles.length > 0) {
      const r = singles.pop()!;
      if (active[r] && rows[r]!.size === 1) {
        pivotRow = r;
        pivot = rows[r]!.keys().next().value!;
        break;
      }
    }
    while (pivotRow < 0 && heap.size > 0) {
      const k = heap.pop();
      const c = k % columnCount;
      if (pivotRowOf[c]! >= 0 || colCount[c]! === 0 || key(c) !== k) continue; // stale
      pivot = c;
      pivotRow = shortestRowWith(ops, rows, active, colRows[c]!, c);
    }
    if (pivotRow < 0) break;

    const p = rows[pivotRow]!;
    const a = p.get(pivot)!;
    active[pivotRow] = 0;
    pivotRowOf[pivot] = echelon.rows.length;
    echelon.rows.push({ cols: [...p.keys()], vals: [...p.values()] });
    echelon.pivots.push(pivot);
    echelon.pivotValues.push(a);
    echelon.sources.push(pivotRow);
    for (const c of p.keys()) {
      colCount[c]!--;
      changed(c);
    }
    for (const r of colRows[pivot]!) {
      if (!active[r]) continue;
      const row = rows[r]!;
      const b = row.get(pivot);
      if (b === undefined) continue; // stale entry
      const step = subtractRow(ops, row, a, b, p, (c) => {
        colCount[c]!--;
        changed(c);
      }, (c) => {
        colCount[c]!++;
        colRows[c]!.push(r);
        changed(c);
      });
      tape.position.push(tape.opsOf[r]!.length);
      tape.opsOf[r]!.push(tape.target.length);
      tape.target.push(r);
      tape.pivotRow.push(pivotRow);
      tape.a.push(step.a);
      tape.b.push(step.b);
      tape.g.push(step.g);
      if (row.size === 0) active[r] = 0; // a combination of the pivot rows: redundant
      else if (row.size === 1) singles.push(r);
    }
    colRows[pivot] = [];
  }
  return echelon;
}

/**
 * row ← a·row − b·p in place, which clears p's pivot column (a = p's pivot value, b = row's value
 * there). When a = ±1 this is a·(row − a·b·p), the same equation, and only p's entries are touched.
 * Otherwise the row is scaled and then divided by the gcd of its entries, which keeps entries as
 * small as the row's direction allows. Returns the operation as row ← (a'·row − b'·p)/g'.
 */
function subtractRow<T>(
  ops: IntegerOps<T>,
  row: Map<number, T>,
  a: T,
  b: T,
  p: ReadonlyMap<number, T>,
  removed: (c: number) => void,
  added: (c: number) => void,
): { a: T; b: T; g: T } {
  const unit = ops.isUnit(a);
  const factor = unit ? ops.times(a, b) : b;
  if (!unit) for (const [c, v] of row) row.set(c, ops.times(a, v));
  for (const [c, pv] of p) {
    const current = row.get(c);
    const value = ops.combine(ops.one, current ?? ops.zero, factor, pv);
    if (ops.isZero(value)) {
      if (current !== undefined) {
        row.delete(c);
        removed(c);
      }
    } else {
      row.set(c, value);
      if (current === undefined) added(c);
    }
  }
  if (unit) return { a: ops.one, b: factor, g: ops.one };
  let g = ops.zero;
  for (const v of row.values()) {
    g = ops.gcd(g, v);
    if (ops.isOne(g)) break;
  }
  if (ops.isZero(g) || ops.isOne(g)) return { a, b, g: ops.one };
  for (const [c, v] of row) row.set(c, ops.divide(v, g));
  return { a, b, g };
}

function shortestRowWith<T>(ops: IntegerOps<T>, rows: readonly Map<number, T>[], active: Uint8Array, candidates: readonly number[], c: number): number {
  let best = -1;
  let bestLength = Infinity;
  let bestUnit = false;
  for (const r of candidates) {
    if (!active[r]) continue;
    const row = rows[r]!;
    const v = row.get(c);
    if (v === undefined) continue;
    const length = row.size;
    const unit = ops.isUnit(v);
    if (length < bestLength || (length === bestLength && ((unit && !bestUnit) || (unit === bestUnit && r < best)))) {
      best = r;
      bestLength = length;
      bestUnit = unit;
    }
  }
  return best;
}

/**
 * An exact solution of A·x = 0 (scaled to integers): free columns get random values in
 * 1..RANDOM_RANGE, pivots follow by back-substitution from the last echelon row up. Only which
 * entries are zero matters, so instead of fractions the whole vector is rescaled whenever a pivot
 * coefficient does not divide its numerator (never, when pivots are ±1 as on margin systems).
 */
function nullVector<T>(ops: IntegerOps<T>, echelon: Echelon<T>, columnCount: number, rng: Rng): T[] {
  const x: T[] = new Array<T>(columnCount);
  const known: number[] = [];
  for (let c = 0; c < columnCount; c++) {
    if (echelon.pivotRowOf[c]! >= 0) continue;
    x[c] = ops.from(1 + rng.int(RANDOM_RANGE));
    known.push(c);
  }
  for (let k = echelon.rows.length - 1; k >= 0; k--) {
    const row = echelon.rows[k]!;
    const pivot = echelon.pivots[k]!;
    const a = echelon.pivotValues[k]!;
    let sum = ops.zero;
    for (let i = 0; i < row.cols.length; i++) {
      const c = row.cols[i]!;
      if (c !== pivot) sum = ops.combine(ops.one, sum, row.vals[i]!, x[c]!);
    }
    // a·x_pivot + (−sum) = 0 ⇒ x_pivot = sum / a.
    if (!ops.divides(a, sum)) {
      const scale = ops.divide(ops.abs(a), ops.gcd(a, sum));
      for (const c of known) x[c] = ops.times(scale, x[c]!);
      sum = ops.times(scale, sum);
    }
    x[pivot] = ops.divide(sum, a);
    known.push(pivot);
  }
  return x;
}

/**
 * Reduces e_j by the echelon rows, from j's pivot row on and only the rows whose pivot is still
 * present (row k only holds pivots of later rows, so taking them in increasing order clears every
 * pivot column). What is left sits in free columns and is zero exactly when e_j is a combination of
 * the rows; `weights` are then the coefficients, by echelon row, of λ·e_j for some λ ≠ 0.
 */
function reduceUnitVector<T>(ops: IntegerOps<T>, echelon: Echelon<T>, j: number): { inRowSpace: boolean; weights: Map<number, T> } {
  const acc = new Map<number, T>([[j, ops.one]]);
  const weights = new Map<number, T>();
  const pending = new MinHeap();
  const queued = new Set<number>();
  const queue = (k: number): void => {
    if (k >= 0 && !queued.has(k)) {
      queued.add(k);
      pending.push(k);
    }
  };
  queue(echelon.pivotRowOf[j]!);
  // Invariant: acc = λ·e_j − Σ weights[k]·row_k.
  while (pending.size > 0) {
    const k = pending.pop();
    const v = acc.get(echelon.pivots[k]!);
    if (v === undefined) continue;
    const row = echelon.rows[k]!;
    const a = echelon.pivotValues[k]!;
    // acc ← a·acc − v·row, or for a = ±1 the same direction acc − (a·v)·row without scaling.
    let factor: T = v;
    if (ops.isUnit(a)) {
      factor = ops.times(a, v);
    } else {
      for (const [c, value] of acc) acc.set(c, ops.times(a, value));
      for (const [u, weight] of weights) weights.set(u, ops.times(a, weight));
    }
    weights.set(k, factor);
    for (let i = 0; i < row.cols.length; i++) {
      const c = row.cols[i]!;
      const value = ops.combine(ops.one, acc.get(c) ?? ops.zero, factor, row.vals[i]!);
      if (ops.isZero(value)) {
        acc.delete(c);
      } else {
        acc.set(c, value);
        queue(echelon.pivotRowOf[c]!);
      }
    }
  }
  return { inRowSpace: acc.size === 0, weights };
}

/** x mod PRIME in 0..PRIME−1. */
function residue<T>(ops: IntegerOps<T>, x: T): number {
  if (ops.kind === 'number') {
    const r = (x as number) % PRIME;
    return r < 0 ? r + PRIME : r;
  }
  const r = Number((x as bigint) % BigInt(PRIME));
  return r < 0 ? r + PRIME : r;
}

/** a·b mod PRIME for residues a, b (the product stays below 2^52). */
export function mulMod(a: number, b: number): number {
  return (a * b) % PRIME;
}

function subMod(a: number, b: number): number {
  const r = a - b;
  return r < 0 ? r + PRIME : r;
}

/** Inverse mod PRIME by the extended Euclidean algorithm; 0 has none (returns 0). */
export function invMod(a: number): number {
  let [r0, r1] = [PRIME, a];
  let [t0, t1] = [0, 1];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  if (r0 !== 1) return 0;
  return t0 < 0 ? t0 + PRIME : t0;
}

function createProbe<T>(ops: IntegerOps<T>, echelon: Echelon<T>, prepared: readonly PreparedRow[], duplicates: Duplicates): Probe {
  const rng = createRng('airlock-disclosure-probe');
  const draw = (): number => 1 + rng.int(PRIME - 1);
  const { tape } = echelon;
  const ta = tape.a.map((v) => residue(ops, v));
  const tb = tape.b.map((v) => residue(ops, v));
  const tg = tape.g.map((v) => residue(ops, v));
  const tgInverse = tg.map(invMod);
  const rows = echelon.rows.map((row) => ({ cols: row.cols, vals: row.vals.map((v) => residue(ops, v)) }));
  const pivotInverse = echelon.pivotValues.map((v) => invMod(residue(ops, v)));
  const isPivotRow = new Uint8Array(prepared.length);
  for (const r of echelon.sources) isPivotRow[r] = 1;
  const preparedOf = new Map<number, number>();
  prepared.forEach((row, q) => preparedOf.set(row.source, q));
  const repeats = new Set(duplicates.map(([input]) => input));

  /** Undoes the tape on a combination of prepared rows (see certify), mod PRIME. */
  const replay = (w: Map<number, number>): Map<number, number> => {
    const entered = new Set<number>();
    const pending = new MinHeap();
    const enter = (r: number): void => {
      if (entered.has(r)) return;
      entered.add(r);
      const list = tape.opsOf[r]!;
      if (list.length > 0) pending.push(-list[list.length - 1]!);
    };
    for (const r of w.keys()) enter(r);
    while (pending.size > 0) {
      const t = -pending.pop();
      const r = tape.target[t]!;
      const before = tape.position[t]! - 1;
      if (before >= 0) pending.push(-tape.opsOf[r]![before]!);
      const wr = w.get(r);
      if (wr === undefined) continue;
      const p = tape.pivotRow[t]!;
      if (tg[t] !== 1) for (const [i, wi] of w) if (i !== r) w.set(i, mulMod(tg[t]!, wi));
      const wp = subMod(w.get(p) ?? 0, mulMod(wr, tb[t]!));
      if (wp === 0) w.delete(p);
      else w.set(p, wp);
      enter(p);
      const next = mulMod(ta[t]!, wr);
      if (next === 0) w.delete(r);
      else w.set(r, next);
    }
    return w;
  };
  const toInputRows = (w: ReadonlyMap<number, number>): Map<number, number> => {
    const result = new Map<number, number>();
    for (const [q, v] of w) result.set(prepared[q]!.source, v);
    return result;
  };

  return {
    leftNull: () => {
      // Rows reduced to zero are dependencies: a random mix of them, undone to original rows.
      const w = new Map<number, number>();
      for (let q = 0; q < prepared.length; q++) if (!isPivotRow[q]) w.set(q, draw());
      const z = toInputRows(replay(w));
      // A repeated row is the dependency "repeat − original".
      for (const [input, q] of duplicates) {
        const s = draw();
        const original = prepared[q]!.source;
        z.set(input, s);
        z.set(original, subMod(z.get(original) ?? 0, s));
      }
      return z;
    },
    combination: (g) => {
      const acc = new Map<number, number>();
      const pending = new MinHeap();
      const queued = new Set<number>();
      const queue = (c: number): void => {
        const k = echelon.pivotRowOf[c]!;
        if (k >= 0 && !queued.has(k)) {
          queued.add(k);
          pending.push(k);
        }
      };
      for (const [c, v] of g) {
        if (v % PRIME === 0) continue;
        acc.set(c, v % PRIME);
        queue(c);
      }
      const w = new Map<number, number>();
      while (pending.size > 0) {
        const k = pending.pop();
        const v = acc.get(echelon.pivots[k]!);
        if (v === undefined) continue;
        if (pivotInverse[k] === 0) return undefined;
        const f = mulMod(v, pivotInverse[k]!);
        w.set(echelon.sources[k]!, f);
        const row = rows[k]!;
        for (let i = 0; i < row.cols.length; i++) {
          const c = row.cols[i]!;
          const value = subMod(acc.get(c) ?? 0, mulMod(f, row.vals[i]!));
          if (value === 0) acc.delete(c);
          else {
            acc.set(c, value);
            queue(c);
          }
        }
      }
      if (acc.size > 0) return undefined; // g is not in the row space
      return toInputRows(replay(w));
    },
    solveColumn: (column) => {
      const entry = (input: number): number => (column.get(input) ?? 0) % PRIME;
      // A repeated row must get the same entry as its original, or the column breaks "repeat = original".
      for (const [input, q] of duplicates) if (entry(input) !== entry(prepared[q]!.source)) return undefined;
      const v = new Float64Array(prepared.length);
      for (const input of column.keys()) {
        const value = entry(input);
        if (value === 0) continue;
        const q = preparedOf.get(input);
        if (q !== undefined) v[q] = value;
        else if (!repeats.has(input)) return undefined; // an empty row (0 = 0) would become a = 0
      }
      // Apply the recorded row operations to the new column: row_r ← (a·row_r − b·row_p)/g.
      for (let t = 0; t < tape.target.length; t++) {
        const r = tape.target[t]!;
        const p = tape.pivotRow[t]!;
        if (v[r] === 0 && v[p] === 0) continue;
        if (tgInverse[t] === 0) return undefined;
        v[r] = mulMod(subMod(mulMod(ta[t]!, v[r]!), mulMod(tb[t]!, v[p]!)), tgInverse[t]!);
      }
      // Rows reduced to zero must be zero in the new column too, or it is outside the column space.
      for (let q = 0; q < prepared.length; q++) if (!isPivotRow[q] && v[q] !== 0) return undefined;
      const beta = new Map<number, number>();
      for (let k = echelon.rows.length - 1; k >= 0; k--) {
        const row = rows[k]!;
        const pivot = echelon.pivots[k]!;
        let sum = v[echelon.sources[k]!]!;
        for (let i = 0; i < row.cols.length; i++) {
          const c = row.cols[i]!;
          if (c !== pivot) sum = subMod(sum, mulMod(row.vals[i]!, beta.get(c) ?? 0));
        }
        if (sum === 0) continue;
        if (pivotInverse[k] === 0) return undefined;
        beta.set(pivot, mulMod(sum, pivotInverse[k]!));
      }
      return beta;
    },
  };
}

/** Binary min-heap of numbers; stale entries are left in and skipped by the caller. */
class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const items = this.items;
    let i = items.length;
    items.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]! <= value) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = value;
  }

  pop(): number {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child = right < items.length && items[right]! < items[left]! ? right : left;
        if (items[child]! >= last) break;
        items[i] = items[child]!;
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}

/**
 * Which of `unknowns` a system of sum-equations determines uniquely. Each equation lists the ids
 * whose values add up to a known total; ids not in `unknowns` are known and move to the right-hand
 * side (an id listed twice counts twice). An unknown is determined when some combination of the
 * equations isolates it, even if every single equation has two or more unknowns
 * (x1+x2, x2+x3, x1+x3 known ⇒ all three known). Exact; see the module comment.
 */
export function determinedUnknowns(equations: readonly (readonly string[])[], unknowns: ReadonlySet<string>): Set<string> {
  const columnOf = new Map<string, number>();
  const names: string[] = [];
  for (const id of [...unknowns].sort()) {
    columnOf.set(id, names.length);
    names.push(id);
  }
  const rows: SparseRow[] = [];
  for (const equation of equations) {
    const coefficients = new Map<number, number>();
    for (const id of equation) {
      const col = columnOf.get(id);
      if (col !== undefined) coefficients.set(col, (coefficients.get(col) ?? 0) + 1);
    }
    const cols = [...coefficients.keys()].sort((a, b) => a - b);
    rows.push({ cols, vals: cols.map((c) => coefficients.get(c)!) });
  }
  const { determined } = determinedColumns(rows, names.length);
  return new Set(determined.map((c) => names[c]!));
}
