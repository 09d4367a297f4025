import type { NodeEvaluation } from './evaluate.ts';
import type { Snapshot } from './snapshot.ts';

/** One bucket of the class-size distribution (sizes in distinct subjects). */
export interface ClassSizeBucket {
  /** `1`, `2`, `3-4`, `5-9`, `10-19`, `20-49`, `50+`. */
  readonly size: string;
  readonly classes: number;
  readonly records: number;
}

/** Re-identification risk of a record-level view, as ARX reports it (prosecutor model). */
export interface RiskMeasures {
  readonly records: number;
  readonly classes: number;
  /** Smallest class, in distinct subjects (0 when no record is left). */
  readonly k: number;
  /** Smallest number of distinct values of each sensitive column in a class. */
  readonly l: readonly { readonly column: string; readonly l: number }[];
  /** Share of records alone in their class (one subject). */
  readonly uniqueShare: number;
  readonly prosecutor: {
    /** 1 / smallest class. */
    readonly highest: number;
    /** Mean over records of 1 / their class size. */
    readonly average: number;
    /** Share of records whose risk is above `threshold`. */
    readonly shareAbove: number;
    readonly threshold: number;
  };
  readonly distribution: readonly ClassSizeBucket[];
}

const BUCKETS: readonly [string, number, number][] = [
  ['1', 1, 1],
  ['2', 2, 2],
  ['3-4', 3, 4],
  ['5-9', 5, 9],
  ['10-19', 10, 19],
  ['20-49', 20, 49],
  ['50+', 50, Number.POSITIVE_INFINITY],
];

/**
 * The measures of the records a node keeps (classes not suppressed). A record's prosecutor risk
 * is 1 / the distinct subjects of its class: an attacker who knows their target is in the data
 * and knows its quasi-identifiers picks one of that many people.
 */
export function measure(snapshot: Snapshot, evaluation: NodeEvaluation, threshold: number): RiskMeasures {
  const { classes, classRows, classSubjects, classSuppressed, classDistinct } = evaluation;
  let records = 0;
  let kept = 0;
  let k = Number.POSITIVE_INFINITY;
  let riskSum = 0;
  let above = 0;
  let unique = 0;
  const distribution = BUCKETS.map(([size]) => ({ size, classes: 0, records: 0 }));
  const l = snapshot.table.sensitive.map(() => Number.POSITIVE_INFINITY);
  for (let cls = 0; cls < classes; cls++) {
    if (classSuppressed[cls] === 1) continue;
    const rows = classRows[cls]!;
    const subjects = classSubjects[cls]!;
    kept += 1;
    records += rows;
    k = Math.min(k, subjects);
    const risk = 1 / subjects;
    riskSum += rows * risk;
    if (risk > threshold) above += rows;
    if (subjects === 1) unique += rows;
    const bucket = distribution[BUCKETS.findIndex(([, lo, hi]) => subjects >= lo && subjects <= hi)]!;
    bucket.classes += 1;
    bucket.records += rows;
    classDistinct.forEach((distinct, s) => (l[s] = Math.min(l[s]!, distinct[cls]!)));
  }
  const share = (n: number): number => (records === 0 ? 0 : n / records);
  return {
    records,
    classes: kept,
    k: records === 0 ? 0 : k,
    l: snapshot.table.sensitive.map((column, s) => ({ column: column.name, l: records === 0 ? 0 : l[s]! })),
    uniqueShare: share(unique),
    prosecutor: { highest: records === 0 ? 0 : 1 / k, average: share(riskSum), shareAbove: share(above), threshold },
    distribution,
  };
}
