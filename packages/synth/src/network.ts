import type { Rng } from '@airlock/core';

/** Variables for structure learning: one state array per variable, all of length n. */
export interface Variables {
  readonly codes: readonly Int32Array[];
  readonly cards: readonly number[];
}

export interface StructureOptions {
  /** Most parents per node. 0 gives independent marginals. */
  readonly maxParents: number;
  /** Index of the label variable: the root, and a parent of every other node. */
  readonly label: number | undefined;
  /** Largest conditional table (parent configurations × states) a node may get. */
  readonly maxTableCells: number;
}

/** Parents of each variable and an order in which every parent precedes its children. */
export interface Structure {
  readonly order: readonly number[];
  readonly parents: readonly (readonly number[])[];
}

/**
 * Greedy structure search in the spirit of PrivBayes: nodes are placed one at a time; each
 * unplaced node gets its best parent set among placed nodes (built by forward selection), and the
 * node with the best score is placed next. The score is mutual information with the parents minus
 * the BIC penalty, log(n)/2n per extra table parameter, which keeps parents with many states
 * from producing tables so sparse that they memorize individual rows.
 *
 * With a label, the label is the root and a forced parent of every node, as in a tree-augmented
 * naive Bayes: every column then keeps its dependence on the label, which is what a model trained
 * on the synthetic rows needs.
 */
export function learnStructure(variables: Variables, options: StructureOptions): Structure {
  const count = variables.cards.length;
  const n = variables.codes[0]?.length ?? 0;
  const parents: number[][] = Array.from({ length: count }, () => []);
  if (count === 0) return { order: [], parents };
  const penaltyPerParameter = n > 1 ? Math.log(n) / (2 * n) : 0;
  const cache = new Map<string, number>();
  const score = (child: number, parentSet: readonly number[]): number => {
    const key = `${child}|${[...parentSet].sort((a, b) => a - b).join(',')}`;
    let value = cache.get(key);
    if (value === undefined) {
      let configurations = 1;
      for (const parent of parentSet) configurations *= variables.cards[parent]!;
      const childCard = variables.cards[child]!;
      value =
        configurations * childCard > options.maxTableCells
          ? Number.NEGATIVE_INFINITY
          : mutualInformation(variables, child, parentSet) - penaltyPerParameter * (childCard - 1) * (configurations - 1);
      cache.set(key, value);
    }
    return value;
  };

  const bestParents = (child: number, placed: readonly number[]): { set: number[]; score: number } => {
    const set = options.label !== undefined && options.maxParents > 0 ? [options.label] : [];
    let current = score(child, set);
    while (set.length < options.maxParents) {
      let bestCandidate = -1;
      let bestScore = current;
      for (const candidate of placed) {
        if (set.includes(candidate)) continue;
        const candidateScore = score(child, [...set, candidate]);
        if (candidateScore > bestScore + 1e-12) {
          bestScore = candidateScore;
          bestCandidate = candidate;
        }
      }
      if (bestCandidate < 0) break;
      set.push(bestCandidate);
      current = bestScore;
    }
    return { set, score: current };
  };

  const root = options.label ?? strongestVariable(variables, options.maxParents > 0);
  const order = [root];
  const remaining = new Set<number>();
  for (let v = 0; v < count; v++) if (v !== root) remaining.add(v);
  while (remaining.size > 0) {
    let chosen = -1;
    let chosenSet: number[] = [];
    let chosenScore = Number.NEGATIVE_INFINITY;
    for (const v of remaining) {
      const { set, score: s } = bestParents(v, order);
      if (chosen < 0 || s > chosenScore + 1e-12) {
        chosen = v;
        chosenSet = set;
        chosenScore = s;
      }
    }
    parents[chosen] = chosenSet;
    order.push(chosen);
    remaining.delete(chosen);
  }
  return { order, parents };
}

/** The variable sharing the most information with all others (a good root); 0 when not needed. */
function strongestVariable(variables: Variables, needed: boolean): number {
  if (!needed) return 0;
  const count = variables.cards.length;
  let best = 0;
  let bestTotal = Number.NEGATIVE_INFINITY;
  for (let v = 0; v < count; v++) {
    let total = 0;
    for (let w = 0; w < count; w++) if (w !== v) total += mutualInformation(variables, v, [w]);
    if (total > bestTotal + 1e-12) {
      best = v;
      bestTotal = total;
    }
  }
  return best;
}

/** Configuration index of each row over the parents, last parent fastest; and the number of configurations. */
export function configurations(codes: readonly Int32Array[], cards: readonly number[], parentSet: readonly number[], n: number): { index: Int32Array; size: number } {
  const index = new Int32Array(n);
  let size = 1;
  for (const parent of parentSet) {
    const card = cards[parent]!;
    const parentCodes = codes[parent]!;
    for (let i = 0; i < n; i++) index[i] = index[i]! * card + parentCodes[i]!;
    size *= card;
  }
  return { index, size };
}

/** Empirical mutual information I(child; parents) in nats. */
export function mutualInformation(variables: Variables, child: number, parentSet: readonly number[]): number {
  if (parentSet.length === 0) return 0;
  const childCodes = variables.codes[child]!;
  const n = childCodes.length;
  if (n === 0) return 0;
  const childCard = variables.cards[child]!;
  const { index, size } = configurations(variables.codes, variables.cards, parentSet, n);
  const joint = new Float64Array(size * childCard);
  const parentCounts = new Float64Array(size);
  const childCounts = new Float64Array(childCard);
  for (let i = 0; i < n; i++) {
    const c = index[i]!;
    const x = childCodes[i]!;
    joint[c * childCard + x]!++;
    parentCounts[c]!++;
    childCounts[x]!++;
  }
  // I = Σ p(x,π) log(p(x,π) / (p(x) p(π))) = (1/n) Σ N(x,π) log(n N(x,π) / (N(x) N(π))).
  let total = 0;
  for (let c = 0; c < size; c++) {
    const nc = parentCounts[c]!;
    if (nc === 0) continue;
    for (let x = 0; x < childCard; x++) {
      const nxc = joint[c * childCard + x]!;
      if (nxc > 0) total += nxc * Math.log((n * nxc) / (childCounts[x]! * nc));
    }
  }
  return Math.max(0, total / n);
}

/**
 * Conditional tables with additive smoothing toward the child's marginal:
 * P(x | π) = (N(x, π) + α·P(x)) / (N(π) + α). Unseen parent configurations fall back to the
 * marginal, and a configuration seen a handful of times is pulled toward it, so a table cell
 * never just replays one person's row. Probabilities are rounded to 1e-6 to keep the JSON small.
 */
export function conditionalTable(variables: Variables, child: number, parentSet: readonly number[], smoothing: number): number[][] {
  const childCodes = variables.codes[child]!;
  const n = childCodes.length;
  const childCard = variables.cards[child]!;
  const { index, size } = configurations(variables.codes, variables.cards, parentSet, n);
  const joint = new Float64Array(size * childCard);
  const parentCounts = new Float64Array(size);
  const marginal = new Float64Array(childCard);
  for (let i = 0; i < n; i++) {
    const c = index[i]!;
    const x = childCodes[i]!;
    joint[c * childCard + x]!++;
    parentCounts[c]!++;
    marginal[x]!++;
  }
  for (let x = 0; x < childCard; x++) marginal[x] = n > 0 ? marginal[x]! / n : 1 / childCard;
  const table: number[][] = [];
  for (let c = 0; c < size; c++) {
    const denominator = parentCounts[c]! + smoothing;
    const row: number[] = [];
    for (let x = 0; x < childCard; x++) {
      const p = denominator > 0 ? (joint[c * childCard + x]! + smoothing * marginal[x]!) / denominator : marginal[x]!;
      row.push(Math.round(p * 1e6) / 1e6);
    }
    table.push(row);
  }
  return table;
}

/** Seeded subsample of row indices (all rows when n ≤ limit), in ascending order. */
export function subsampleIndices(n: number, limit: number, rng: Rng): Int32Array {
  if (n <= limit) return Int32Array.from({ length: n }, (_, i) => i);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  // Partial Fisher–Yates: the first `limit` slots are a uniform sample without replacement.
  for (let i = 0; i < limit; i++) {
    const j = i + rng.int(n - i);
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
  }
  return all.subarray(0, limit).sort();
}
