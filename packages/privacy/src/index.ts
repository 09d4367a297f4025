/*
 * @airlock/privacy: the pure decisions of differentially private releases — how much noise each
 * statistic of an aggregate gets for a privacy cost (zCDP), which groups show, intervals,
 * accuracy targets, date windows aligned to the policy's grain, and budget periods. No I/O: the
 * gateway reads the truth and the ledger, this package decides what is released.
 */
export { epsilonFromRho, rhoForSigma, rhoFromEpsilon, sigmaForRho } from './zcdp.ts';
export { measureUnit, planAggregate, rhoForAccuracy, rhoForHalfWidth, selectionThreshold } from './plan.ts';
export type { AccuracyTarget, AggregatePlan, BoundedMeasure, PlanInput, PlannedStatistic } from './plan.ts';
export { keyOf, releaseAggregate } from './release.ts';
export type { GaussianNoise, NoisyValue, ReleasedAggregate, ReleasedCell, TrueCell } from './release.ts';
export { alignWindow, periodsIn } from './window.ts';
export type { AlignedWindow } from './window.ts';
export { budgetPeriod, nextBucketStart } from './budget-period.ts';
export type { BudgetPeriodKind, BudgetPeriodSpan } from './budget-period.ts';
