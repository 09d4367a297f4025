import { assertLabelled, assertNoNaN } from './validate.ts';

/**
 * Area under the ROC curve: the probability that a randomly chosen positive scores higher than a
 * randomly chosen negative, counting ties as one half.
 *
 * Computed as the Mann–Whitney U statistic, AUC = (R₁ − n₁(n₁+1)/2) / (n₁·n₀), where R₁ is the sum
 * of the positives' ranks among all scores and tied scores share their average rank. O(n log n).
 * References: Mann & Whitney, Ann. Math. Statist. 18 (1947); Hanley & McNeil, Radiology 143 (1982).
 *
 * - `labels` are 0/1; `scores` any non-NaN numbers (±Infinity allowed); higher means more positive.
 * - Only one class present → NaN (the AUC is undefined, not 0.5).
 * - Throws RangeError on mismatched lengths, empty input, a label other than 0/1, or a NaN score.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  assertLabelled('rocAuc', labels, 'scores', scores);
  assertNoNaN('rocAuc', 'scores', scores);
  const n = labels.length;
  const order = ascendingOrder(scores);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]!] === scores[order[start]!]) end++;
    // Positions start..end−1 hold ranks start+1..end; each gets their mean.
    const averageRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) {
      if (labels[order[k]!] === 1) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Area under the precision–recall curve as average precision (AP), step-wise:
 * AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ over the distinct score thresholds taken from highest to lowest, where Pₖ
 * and Rₖ are the precision and recall when everything scoring ≥ the k-th threshold is called
 * positive. Tied scores form one threshold, so the result does not depend on input order. No
 * interpolation between points: linear (trapezoidal) interpolation in PR space overstates the area
 * (Davis & Goadrich, ICML 2006). Same definition as scikit-learn's `average_precision_score`;
 * see also Manning, Raghavan & Schütze, "Introduction to Information Retrieval" (2008), §8.4.
 *
 * - A random classifier scores about the positive rate, not 0.5.
 * - No positives → NaN (recall is undefined). No negatives → 1.
 * - Throws RangeError on mismatched lengths, empty input, a label other than 0/1, or a NaN score.
 */
export function prAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  assertLabelled('prAuc', labels, 'scores', scores);
  assertNoNaN('prAuc', 'scores', scores);
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i]!;
  if (positives === 0) return NaN;
  const order = ascendingOrder(scores);
  let truePositives = 0;
  let called = 0;
  let sum = 0;
  // Walk from the highest score down, one tie group (threshold) at a time.
  for (let end = n; end > 0; ) {
    let start = end - 1;
    while (start > 0 && scores[order[start - 1]!] === scores[order[end - 1]!]) start--;
    let gained = 0;
    for (let k = start; k < end; k++) gained += labels[order[k]!]!;
    truePositives += gained;
    called += end - start;
    sum += gained * (truePositives / called);
    end = start;
  }
  return sum / positives;
}

/** Indices of `scores` sorted by ascending score. */
export function ascendingOrder(scores: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => {
    const sa = scores[a]!;
    const sb = scores[b]!;
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  });
}

/**
 * Labelled scores sorted once, with tie groups marked, so the AUC of many reweighted copies of the
 * same rows (bootstrap resamples) costs one linear pass each instead of a sort each.
 */
export interface Ranking {
  /** Row indices by ascending score. */
  readonly order: Uint32Array;
  /** 1 where the row at that sorted position is a positive. */
  readonly positive: Uint8Array;
  /** Exclusive end position of each group of equal scores, ascending. */
  readonly groupEnds: Uint32Array;
}

/** Builds a {@link Ranking}; the caller has checked `labels` (0/1) and `scores` (no NaN). */
export function rank(labels: ArrayLike<number>, scores: ArrayLike<number>): Ranking {
  const order = ascendingOrder(scores);
  const positive = new Uint8Array(order.length);
  const ends: number[] = [];
  for (let k = 0; k < order.length; k++) {
    positive[k] = labels[order[k]!] === 1 ? 1 : 0;
    if (k > 0 && scores[order[k]!] !== scores[order[k - 1]!]) ends.push(k);
  }
  if (order.length > 0) ends.push(order.length);
  return { order, positive, groupEnds: Uint32Array.from(ends) };
}

/**
 * ROC AUC where row i counts `weights[i]` times (a bootstrap resample as multiplicities).
 * Same Mann–Whitney definition as {@link rocAuc}: within a tie group each positive–negative pair
 * counts ½. NaN when either class has zero total weight.
 */
export function weightedAuc(ranking: Ranking, weights: ArrayLike<number>): number {
  const { order, positive, groupEnds } = ranking;
  let pairs = 0;
  let negativesBelow = 0;
  let positivesTotal = 0;
  let k = 0;
  for (let g = 0; g < groupEnds.length; g++) {
    const end = groupEnds[g]!;
    let groupPositives = 0;
    let groupWeight = 0;
    // Branch-free: labels in score order are unpredictable, and this loop is the bootstrap's hot path.
    for (; k < end; k++) {
      const w = weights[order[k]!]!;
      groupPositives += w * positive[k]!;
      groupWeight += w;
    }
    const groupNegatives = groupWeight - groupPositives;
    pairs += groupPositives * (negativesBelow + groupNegatives / 2);
    negativesBelow += groupNegatives;
    positivesTotal += groupPositives;
  }
  if (positivesTotal === 0 || negativesBelow === 0) return NaN;
  return pairs / (positivesTotal * negativesBelow);
}
