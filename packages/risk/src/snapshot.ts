import { groupRows } from './encode.ts';
import type { Hierarchy } from './hierarchy.ts';

/** A quasi-identifier: its level-0 codes and the hierarchy built over their dictionary. */
export interface QuasiIdentifier {
  readonly name: string;
  readonly codes: Int32Array;
  readonly hierarchy: Hierarchy;
}

/** A sensitive column: codes and how many distinct codes there are. */
export interface SensitiveColumn {
  readonly name: string;
  readonly codes: Int32Array;
  readonly cardinality: number;
}

/** What the risk model reads: integer-coded columns of one table, all of length `rows`. */
export interface RiskTable {
  readonly rows: number;
  readonly quasiIdentifiers: readonly QuasiIdentifier[];
  readonly sensitive: readonly SensitiveColumn[];
  /** Dense subject codes per row; absent when each row is its own subject. */
  readonly subjects?: Int32Array | undefined;
}

/**
 * The table reduced once to its distinct level-0 quasi-identifier tuples, which is all any
 * generalization needs: every lattice node is evaluated on tuples, not rows.
 * Subjects: a subject all of whose rows share one tuple counts once for that tuple (`solo`); the
 * few spanning several tuples are listed so they are counted once per class after merging.
 * Sensitive values: the distinct values of each tuple, per sensitive column.
 */
export interface Snapshot {
  readonly table: RiskTable;
  readonly tupleOfRow: Int32Array;
  readonly tuples: number;
  /** Level-0 code of each tuple, per quasi-identifier. */
  readonly tupleCodes: readonly Int32Array[];
  readonly tupleRows: Int32Array;
  readonly solo: Int32Array;
  /** Subjects with rows in several tuples: CSR offsets and the tuples of each. */
  readonly multiStart: Int32Array;
  readonly multiTuples: Int32Array;
  /** Per sensitive column, CSR by tuple: offsets and the distinct values. */
  readonly sensitiveStart: readonly Int32Array[];
  readonly sensitiveValues: readonly Int32Array[];
}

/** Builds the snapshot in a few linear passes over the rows. */
export function buildSnapshot(table: RiskTable): Snapshot {
  const { rows, quasiIdentifiers } = table;
  const grouping = groupRows(
    quasiIdentifiers.map((q) => q.codes),
    quasiIdentifiers.map((q) => q.hierarchy.levels[0]!.labels.length),
    rows,
  );
  const tuples = grouping.count;
  const tupleOfRow = grouping.ids;
  const tupleCodes = quasiIdentifiers.map(() => new Int32Array(tuples));
  const tupleRows = new Int32Array(tuples);
  for (let row = 0; row < rows; row++) {
    const t = tupleOfRow[row]!;
    if (tupleRows[t] === 0) quasiIdentifiers.forEach((q, c) => (tupleCodes[c]![t] = q.codes[row]!));
    tupleRows[t]! += 1;
  }
  const { solo, multiStart, multiTuples } = subjectsOf(table, tupleOfRow, tuples);
  const sensitiveStart: Int32Array[] = [];
  const sensitiveValues: Int32Array[] = [];
  for (const column of table.sensitive) {
    const csr = distinctPerTuple(tupleOfRow, tuples, column.codes, column.cardinality, rows);
    sensitiveStart.push(csr.start);
    sensitiveValues.push(csr.values);
  }
  return { table, tupleOfRow, tuples, tupleCodes, tupleRows, solo, multiStart, multiTuples, sensitiveStart, sensitiveValues };
}

function subjectsOf(table: RiskTable, tupleOfRow: Int32Array, tuples: number): Pick<Snapshot, 'solo' | 'multiStart' | 'multiTuples'> {
  const solo = new Int32Array(tuples);
  const { subjects, rows } = table;
  if (subjects === undefined) {
    for (let row = 0; row < rows; row++) solo[tupleOfRow[row]!]! += 1;
    return { solo, multiStart: new Int32Array(1), multiTuples: new Int32Array(0) };
  }
  let subjectCount = 0;
  for (let row = 0; row < rows; row++) subjectCount = Math.max(subjectCount, subjects[row]! + 1);
  // Distinct (subject, tuple) pairs, then each subject's tuples.
  const pairs = groupRows([subjects, tupleOfRow], [subjectCount, tuples], rows);
  const pairSubject = new Int32Array(pairs.count);
  const pairTuple = new Int32Array(pairs.count);
  for (let row = 0; row < rows; row++) {
    const p = pairs.ids[row]!;
    pairSubject[p] = subjects[row]!;
    pairTuple[p] = tupleOfRow[row]!;
  }
  const perSubject = new Int32Array(subjectCount);
  for (let p = 0; p < pairs.count; p++) perSubject[pairSubject[p]!]! += 1;
  const multiIndex = new Int32Array(subjectCount).fill(-1);
  const multiCounts: number[] = [];
  for (let s = 0; s < subjectCount; s++) {
    if (perSubject[s]! > 1) {
      multiIndex[s] = multiCounts.length;
      multiCounts.push(perSubject[s]!);
    }
  }
  const multiStart = new Int32Array(multiCounts.length + 1);
  multiCounts.forEach((n, i) => (multiStart[i + 1] = multiStart[i]! + n));
  const fill = multiStart.slice(0, multiCounts.length);
  const multiTuples = new Int32Array(multiStart[multiCounts.length]!);
  for (let p = 0; p < pairs.count; p++) {
    const m = multiIndex[pairSubject[p]!]!;
    if (m < 0) solo[pairTuple[p]!]! += 1;
    else multiTuples[fill[m]!++] = pairTuple[p]!;
  }
  return { solo, multiStart, multiTuples };
}

/** The distinct codes of `codes` within each group of `groupOfRow`, as CSR arrays. */
export function distinctPerTuple(groupOfRow: Int32Array, groups: number, codes: Int32Array, cardinality: number, rows: number): { start: Int32Array; values: Int32Array } {
  const pairs = groupRows([groupOfRow, codes], [groups, cardinality], rows);
  const pairGroup = new Int32Array(pairs.count);
  const pairValue = new Int32Array(pairs.count);
  for (let row = 0; row < rows; row++) {
    const p = pairs.ids[row]!;
    pairGroup[p] = groupOfRow[row]!;
    pairValue[p] = codes[row]!;
  }
  const start = new Int32Array(groups + 1);
  for (let p = 0; p < pairs.count; p++) start[pairGroup[p]! + 1]! += 1;
  for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
  const fill = start.slice(0, groups);
  const values = new Int32Array(pairs.count);
  for (let p = 0; p < pairs.count; p++) values[fill[pairGroup[p]!]!++] = pairValue[p]!;
  return { start, values };
}
