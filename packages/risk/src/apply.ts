import type { NodeEvaluation } from './evaluate.ts';
import type { Snapshot } from './snapshot.ts';

/** A table generalized by a node: each quasi-identifier's labels per row, and suppressed rows. */
export interface GeneralizedView {
  /** Quasi-identifier name → its generalized value per row (rows in table order). */
  readonly columns: ReadonlyMap<string, readonly (string | null)[]>;
  /** 1 for a row withheld from the view (its class fails k or l). */
  readonly suppressed: Uint8Array;
  readonly suppressedRows: number;
}

/** The row-level result of a node: labels through each hierarchy's dictionary, no per-row objects. */
export function generalizedView(snapshot: Snapshot, evaluation: NodeEvaluation): GeneralizedView {
  const { table, tupleOfRow } = snapshot;
  const columns = new Map<string, (string | null)[]>();
  table.quasiIdentifiers.forEach((q, c) => {
    const level = q.hierarchy.levels[evaluation.node[c]!]!;
    const out = new Array<string | null>(table.rows);
    for (let row = 0; row < table.rows; row++) out[row] = level.labels[level.map[q.codes[row]!]!] ?? null;
    columns.set(q.name, out);
  });
  const suppressed = new Uint8Array(table.rows);
  for (let row = 0; row < table.rows; row++) suppressed[row] = evaluation.classSuppressed[evaluation.classOfTuple[tupleOfRow[row]!]!]!;
  return { columns, suppressed, suppressedRows: evaluation.suppressedRows };
}
