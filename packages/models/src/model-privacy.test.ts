import { describe, expect, it } from 'vitest';
import { membershipRefusal, membershipStanding } from './model-privacy.ts';

describe('membershipStanding', () => {
  it('is within at or below the limit, over above it, and unmeasured without a figure', () => {
    expect(membershipStanding({ assessment: { membership: { auc: 0.6 } } }, 0.6)).toEqual({ kind: 'within', auc: 0.6, limit: 0.6 });
    expect(membershipStanding({ assessment: { membership: { auc: 0.61 } } }, 0.6)).toEqual({ kind: 'over', auc: 0.61, limit: 0.6 });
    // NaN is stored as null in JSON: no figure.
    for (const card of [{}, { assessment: {} }, { assessment: { membership: { auc: null } } }]) expect(membershipStanding(card, 0.6).kind).toBe('unmeasured');
  });

  it('refuses with a client error naming the figure, the limit and the fix', () => {
    const error = membershipRefusal({ id: 4, name: 'cost', version: 2 }, { kind: 'over', auc: 0.7781, limit: 0.6 }, 'promoted');
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe(
      "Model 4 (cost v2) cannot be promoted: a membership-inference attack tells its training rows from held-out rows with AUC 0.778, above the policy's limit of 0.6 (training.max_membership_auc). Retrain with more rows, more regularization (a larger l2) or fewer epochs (a smaller epochs or patience).",
    );
  });
});
