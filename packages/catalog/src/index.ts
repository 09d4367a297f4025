export { loadAppliedPolicies, loadPolicySet, policyName, storePolicyIn, storePolicyVersions } from './policy-store.ts';
export type { AppliedPolicy, StoreOutcome } from './policy-store.ts';
