import { AirlockError } from '@airlock/core';
import type { ModelRecord } from './registry.repository.ts';

/**
 * Where a model stands against the policy's membership-inference limit
 * (`training.max_membership_auc`), from the AUC its card recorded when it was trained. A model
 * with no figure (trained before models were attacked, or registered by hand) counts as over:
 * what was never measured is not shown to be safe.
 */
export type MembershipStanding =
  | { readonly kind: 'within'; readonly auc: number; readonly limit: number }
  | { readonly kind: 'over'; readonly auc: number; readonly limit: number }
  | { readonly kind: 'unmeasured'; readonly limit: number };

/** The standing of a model's card against `limit`. Pure. */
export function membershipStanding(card: Readonly<Record<string, unknown>>, limit: number): MembershipStanding {
  const assessment = card['assessment'] as { membership?: { auc?: unknown } } | undefined;
  const auc = assessment?.membership?.auc;
  if (typeof auc !== 'number' || !Number.isFinite(auc)) return { kind: 'unmeasured', limit };
  return auc <= limit ? { kind: 'within', auc, limit } : { kind: 'over', auc, limit };
}

/**
 * The refusal for a model that may not leave its zone: a client error (409) naming the figure,
 * the limit and what to change. Not vague: the caller may already see the model and its card.
 */
export function membershipRefusal(model: Pick<ModelRecord, 'id' | 'name' | 'version'>, standing: Exclude<MembershipStanding, { kind: 'within' }>, action: string): AirlockError {
  const what = `Model ${model.id} (${model.name} v${model.version})`;
  const message =
    standing.kind === 'unmeasured'
      ? `${what} has no membership-inference figure in its card, so it cannot be ${action}; retrain it (every model trained now is attacked before it is registered).`
      : `${what} cannot be ${action}: a membership-inference attack tells its training rows from held-out rows with AUC ${standing.auc.toFixed(3)}, above the policy's limit of ${standing.limit} (training.max_membership_auc). Retrain with more rows, more regularization (a larger l2) or fewer epochs (a smaller epochs or patience).`;
  return new AirlockError('CONFLICT', message, { details: { membershipAuc: standing.kind === 'unmeasured' ? null : standing.auc, limit: standing.limit } });
}
