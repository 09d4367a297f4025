export { applyPolicies, loadAppliedPolicies, loadPolicySet, policyName } from './policy-store.ts';
export type { ApplyOutcome, AppliedPolicy } from './policy-store.ts';
