import { createHash } from 'node:crypto';

/** Share of a dataset's rows held out for evaluation when the policy names an evaluation zone. */
export const EVALUATION_SHARE = 0.2;

/**
 * Whether a row of the evaluation zone is in the fixed evaluation hold-out: decided by a hash of
 * its random row id, so the same rows are held out for every model and every job, models trained
 * on that zone never train on them, and the choice says nothing about the row's content.
 */
export function inEvaluationHoldOut(rowId: string): boolean {
  return createHash('sha256').update(rowId).digest().readUInt32BE(0) / 0x1_0000_0000 < EVALUATION_SHARE;
}
