import { groupRows } from './encode.ts';
import type { Snapshot } from './snapshot.ts';

/** The targets a deidentified view must meet. */
export interface RiskTargets {
  /** Every equivalence class holds at least k distinct subjects (k-anonymity). */
  readonly k: number;
  /** Every class holds at least l distinct values of each sensitive column (distinct l-diversity). */
  readonly l: number;
  /** Largest share of records (0 to 1) that may be suppressed to meet k and l. */
  readonly maxSuppressed: number;
}

/** A full-domain generalization: one hierarchy level per quasi-identifier, in table order. */
export type Node = readonly number[];

/**
 * One lattice node measured: its equivalence classes, which fail the targets (their records are
 * suppressed), and the information loss.
 */
export interface NodeEvaluation {
  readonly node: Node;
  readonly classes: number;
  /** Class of each snapshot tuple. */
  readonly classOfTuple: Int32Array;
  readonly classRows: Int32Array;
  /** Distinct subjects per class. */
  readonly classSubjects: Int32Array;
  /** Per sensitive column, distinct values per class. */
  readonly classDistinct: readonly Int32Array[];
  /** 1 where the class fails k or l and its records are suppressed. */
  readonly classSuppressed: Uint8Array;
  readonly suppressedRows: number;
  /** Share of rows suppressed. */
  readonly suppressedShare: number;
  /** True when the suppressed share is within the target. */
  readonly meets: boolean;
  /** Normalized certainty penalty, 0 (as published) to 1 (nothing left); suppressed records count 1. */
  readonly loss: number;
}

/** Measures one node against the targets (see {@link NodeEvaluation}). Time linear in tuples. */
export function evaluateNode(snapshot: Snapshot, node: Node, targets: RiskTargets): NodeEvaluation {
  const { table, tuples, tupleRows } = snapshot;
  const qis = table.quasiIdentifiers;
  const generalized = qis.map((q, c) => {
    const level = q.hierarchy.levels[node[c]!]!;
    const codes = snapshot.tupleCodes[c]!;
    const out = new Int32Array(tuples);
    for (let t = 0; t < tuples; t++) out[t] = level.map[codes[t]!]!;
    return out;
  });
  const grouping = groupRows(
    generalized,
    qis.map((q, c) => q.hierarchy.levels[node[c]!]!.labels.length),
    tuples,
  );
  const classes = grouping.count;
  const classOfTuple = grouping.ids;
  const classRows = new Int32Array(classes);
  const classSubjects = new Int32Array(classes);
  for (let t = 0; t < tuples; t++) {
    const cls = classOfTuple[t]!;
    classRows[cls]! += tupleRows[t]!;
    classSubjects[cls]! += snapshot.solo[t]!;
  }
  countMultiSubjects(snapshot, classOfTuple, classSubjects);
  const classDistinct = table.sensitive.map((column, s) => distinctPerClass(snapshot, classOfTuple, classes, s, column.cardinality));

  const classSuppressed = new Uint8Array(classes);
  let suppressedRows = 0;
  for (let cls = 0; cls < classes; cls++) {
    let fails = classSubjects[cls]! < targets.k;
    for (const distinct of classDistinct) if (distinct[cls]! < targets.l) fails = true;
    if (fails) {
      classSuppressed[cls] = 1;
      suppressedRows += classRows[cls]!;
    }
  }

  let penalty = 0;
  for (let c = 0; c < qis.length; c++) {
    const level = qis[c]!.hierarchy.levels[node[c]!]!;
    const codes = generalized[c]!;
    for (let t = 0; t < tuples; t++) if (classSuppressed[classOfTuple[t]!] === 0) penalty += tupleRows[t]! * level.penalty[codes[t]!]!;
  }
  const rows = table.rows;
  const loss = rows === 0 || qis.length === 0 ? 0 : (penalty + suppressedRows * qis.length) / (rows * qis.length);
  const suppressedShare = rows === 0 ? 0 : suppressedRows / rows;
  return {
    node,
    classes,
    classOfTuple,
    classRows,
    classSubjects,
    classDistinct,
    classSuppressed,
    suppressedRows,
    suppressedShare,
    meets: suppressedShare <= targets.maxSuppressed,
    loss,
  };
}

/** Adds each multi-tuple subject once to every distinct class its tuples fall in. */
function countMultiSubjects(snapshot: Snapshot, classOfTuple: Int32Array, classSubjects: Int32Array): void {
  const { multiStart, multiTuples } = snapshot;
  const subjects = multiStart.length - 1;
  if (subjects === 0) return;
  const stamp = new Int32Array(classSubjects.length).fill(-1);
  for (let s = 0; s < subjects; s++) {
    for (let i = multiStart[s]!; i < multiStart[s + 1]!; i++) {
      const cls = classOfTuple[multiTuples[i]!]!;
      if (stamp[cls] !== s) {
        stamp[cls] = s;
        classSubjects[cls]! += 1;
      }
    }
  }
}

/** Distinct values of sensitive column `s` per class: tuples bucketed by class, values stamped. */
function distinctPerClass(snapshot: Snapshot, classOfTuple: Int32Array, classes: number, s: number, cardinality: number): Int32Array {
  const start = snapshot.sensitiveStart[s]!;
  const values = snapshot.sensitiveValues[s]!;
  const order = tuplesByClass(classOfTuple, classes);
  const distinct = new Int32Array(classes);
  const stamp = new Int32Array(cardinality).fill(-1);
  for (let cls = 0; cls < classes; cls++) {
    for (let i = order.start[cls]!; i < order.start[cls + 1]!; i++) {
      const t = order.tuples[i]!;
      for (let j = start[t]!; j < start[t + 1]!; j++) {
        const v = values[j]!;
        if (stamp[v] !== cls) {
          stamp[v] = cls;
          distinct[cls]! += 1;
        }
      }
    }
  }
  return distinct;
}

function tuplesByClass(classOfTuple: Int32Array, classes: number): { start: Int32Array; tuples: Int32Array } {
  const start = new Int32Array(classes + 1);
  for (let t = 0; t < classOfTuple.length; t++) start[classOfTuple[t]! + 1]! += 1;
  for (let c = 0; c < classes; c++) start[c + 1]! += start[c]!;
  const fill = start.slice(0, classes);
  const tuples = new Int32Array(classOfTuple.length);
  for (let t = 0; t < classOfTuple.length; t++) tuples[fill[classOfTuple[t]!]!++] = t;
  return { start, tuples };
}
