import { createRng } from '@airlock/core';
import { rocAuc } from '@airlock/metrics';
import { bootstrapIntervals, type Interval } from './bootstrap.ts';

/** Default {@link MembershipReport} limit when the policy names none (`training.max_membership_auc`). */
export const DEFAULT_MAX_MEMBERSHIP_AUC = 0.6;

/** The outcome of a membership-inference attack on a model. */
export interface MembershipReport {
  /**
   * `loss_threshold` (Yeom et al., "Privacy Risk in Machine Learning", CSF 2018): guess "member"
   * when a row's loss under the model is low. Its AUC over every threshold is reported, which is
   * what an attacker who can tune the threshold achieves at best with this attack.
   */
  readonly attack: 'loss_threshold';
  /** ROC AUC of telling members from non-members: 0.5 is guessing, 1 tells every row apart. */
  readonly auc: number;
  /** 95% percentile bootstrap interval of the AUC. */
  readonly interval: Interval;
  /** Training rows attacked (members) and held-out rows (non-members); equal by construction. */
  readonly members: number;
  readonly nonMembers: number;
}

/**
 * Runs the loss-threshold attack: the same number of members and non-members (the smaller count,
 * each drawn without replacement, seeded), each row scored by minus its loss, and the ROC AUC of
 * members against non-members. Equal sizes keep the AUC's meaning independent of how the rows
 * were split. Losses of any task fit: cross-entropy of a classifier (binary or k-class) or the
 * squared error of a regressor.
 */
export function membershipAttack(memberLoss: ArrayLike<number>, nonMemberLoss: ArrayLike<number>, seed: number | string = 0): MembershipReport {
  const m = Math.min(memberLoss.length, nonMemberLoss.length);
  const rng = createRng(`${String(seed)}/membership`);
  const draw = (losses: ArrayLike<number>): number[] => rng.shuffle(Array.from({ length: losses.length }, (_, i) => i)).slice(0, m).map((i) => losses[i]!);
  const members = draw(memberLoss);
  const nonMembers = draw(nonMemberLoss);
  const labels = new Float64Array(2 * m);
  const scores = new Float64Array(2 * m);
  for (let i = 0; i < m; i++) {
    labels[i] = 1;
    scores[i] = -members[i]!;
    scores[m + i] = -nonMembers[i]!;
  }
  const aucOf = (indices: Uint32Array) => {
    const l = Float64Array.from(indices, (i) => labels[i]!);
    const s = Float64Array.from(indices, (i) => scores[i]!);
    return { auc: rocAuc(l, s) };
  };
  const interval = m === 0 ? { estimate: Number.NaN, low: Number.NaN, high: Number.NaN, level: 0.95, resamples: 0 } : bootstrapIntervals(2 * m, aucOf, { seed }).auc;
  return { attack: 'loss_threshold', auc: interval.estimate, interval, members: m, nonMembers: m };
}
