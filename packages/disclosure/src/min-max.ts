import { AirlockError } from '@airlock/core';

/**
 * Whether a cell's minimum or maximum may be released.
 *
 * Rule: an extreme value is released only when at least `minCount` distinct subjects hold exactly
 * that value (`holders ≥ minCount`). A maximum is by definition one subject's value; if fewer than
 * k subjects share it, releasing it tells the reader (nearly) one person's exact value, and that
 * person is usually the easiest to single out (the oldest patient, the largest claim). Shared by k
 * or more subjects, the value is no more identifying than a released cell of k. The rule holds
 * independently of the cell's own count: a cell of 500 subjects with one outlier still hides the
 * outlier's value. Because it protects the value itself, it also covers the non-linear leak that
 * margins allow (a margin's maximum that exceeds every released cell's maximum belongs to a
 * suppressed cell). A suppressed cell releases no extremes at all; that is the caller's part.
 *
 * `holders` is the number of distinct subjects with the extreme value (e.g.
 * `count(distinct subject) filter (where value = max_value)`). Throws `BAD_REQUEST` when `holders`
 * is not a whole number ≥ 0 or `minCount` is not a whole number ≥ 2.
 */
export function minMaxReleasable(holders: number, minCount: number): boolean {
  if (!Number.isInteger(minCount) || minCount < 2) {
    throw new AirlockError('BAD_REQUEST', `minCount must be a whole number of at least 2, got ${String(minCount)}; fix the policy's min_count`);
  }
  if (!Number.isInteger(holders) || holders < 0) {
    throw new AirlockError('BAD_REQUEST', `holders must be a whole number of distinct subjects ≥ 0, got ${String(holders)}`);
  }
  return holders >= minCount;
}
