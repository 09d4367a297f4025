import { evaluateNode, type Node, type NodeEvaluation, type RiskTargets } from './evaluate.ts';
import type { Snapshot } from './snapshot.ts';

/** The outcome of {@link searchGeneralization}. */
export interface SearchResult {
  /** The least-loss node meeting the targets, measured; undefined when no node meets them. */
  readonly best: NodeEvaluation | undefined;
  /** Nodes measured, of `latticeSize` in the lattice. */
  readonly evaluated: number;
  readonly latticeSize: number;
  /** False when the evaluation budget ran out before the bound proved `best` optimal. */
  readonly optimal: boolean;
}

/** Search options. */
export interface SearchOptions {
  /** Most nodes to measure (default 5,000); the best found so far is returned past it. */
  readonly maxEvaluations?: number;
}

/**
 * Finds the full-domain generalization with the least information loss that meets k and l with
 * at most `maxSuppressed` of the records suppressed.
 *
 * Best-first branch and bound over the lattice of hierarchy levels. The loss of a node is at least
 * the mean penalty its levels give every record (suppression only raises a record's penalty to 1),
 * and that bound is a sum of one constant per column and level, computed once from the tuple
 * counts. Nodes come off a heap in increasing bound, starting at the bottom (nothing generalized)
 * and expanding each node to its direct generalizations; the search stops when the next bound is
 * no better than the best loss found, which proves that node optimal. Monotonicity (a node whose
 * generalization fails also fails: merging classes only grows their subjects and distinct values)
 * skips measuring nodes below a known failure.
 */
export function searchGeneralization(snapshot: Snapshot, targets: RiskTargets, options: SearchOptions = {}): SearchResult {
  const qis = snapshot.table.quasiIdentifiers;
  const heights = qis.map((q) => q.hierarchy.levels.length);
  const latticeSize = heights.reduce((a, h) => a * h, 1);
  const bounds = columnBounds(snapshot);
  const bound = (node: Node): number => (qis.length === 0 ? 0 : node.reduce((sum, level, c) => sum + bounds[c]![level]!, 0) / qis.length);
  const maxEvaluations = options.maxEvaluations ?? 5000;

  const heap = new NodeHeap();
  const seen = new Set<string>();
  const bottom: Node = qis.map(() => 0);
  heap.push(bottom, bound(bottom));
  seen.add(bottom.join(','));
  const failures: Node[] = [];
  let best: NodeEvaluation | undefined;
  let evaluated = 0;
  let optimal = true;

  for (;;) {
    const entry = heap.pop();
    if (entry === undefined) break;
    if (best !== undefined && entry.bound >= best.loss - 1e-12) break;
    if (evaluated >= maxEvaluations) {
      optimal = false;
      break;
    }
    const { node } = entry;
    for (let c = 0; c < node.length; c++) {
      if (node[c]! + 1 >= heights[c]!) continue;
      const next = node.map((level, i) => (i === c ? level + 1 : level));
      const key = next.join(',');
      if (!seen.has(key)) {
        seen.add(key);
        heap.push(next, bound(next));
      }
    }
    if (failures.some((failed) => below(node, failed))) continue;
    const evaluation = evaluateNode(snapshot, node, targets);
    evaluated += 1;
    if (!evaluation.meets) {
      failures.push(node);
      continue;
    }
    if (best === undefined || evaluation.loss < best.loss) best = evaluation;
  }
  return { best, evaluated, latticeSize, optimal };
}

/** bounds[c][level]: mean penalty of column c at that level over all records. */
function columnBounds(snapshot: Snapshot): number[][] {
  const { tuples, tupleRows, table } = snapshot;
  return table.quasiIdentifiers.map((q, c) =>
    q.hierarchy.levels.map((level) => {
      let sum = 0;
      const codes = snapshot.tupleCodes[c]!;
      for (let t = 0; t < tuples; t++) sum += tupleRows[t]! * level.penalty[level.map[codes[t]!]!]!;
      return table.rows === 0 ? 0 : sum / table.rows;
    }),
  );
}

function below(node: Node, other: Node): boolean {
  for (let c = 0; c < node.length; c++) if (node[c]! > other[c]!) return false;
  return true;
}

/** A binary min-heap of nodes by bound; ties go to the less generalized node (smaller height sum). */
class NodeHeap {
  private readonly items: { node: Node; bound: number; height: number }[] = [];

  push(node: Node, bound: number): void {
    const items = this.items;
    items.push({ node, bound, height: node.reduce((a, b) => a + b, 0) });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): { node: Node; bound: number } | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined) return undefined;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.less(l, m)) m = l;
        if (r < items.length && this.less(r, m)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    const x = this.items[a]!;
    const y = this.items[b]!;
    return x.bound < y.bound || (x.bound === y.bound && x.height < y.height);
  }
}
