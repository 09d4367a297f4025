/*
 * @airlock/ledger: the privacy-loss ledger in the database — budgets per analyst, dataset and
 * period, atomic charges, resets, and the cached answers releases paid for. One ledger for every
 * release of a dataset (aggregates now; synthetic releases and training can charge it too).
 */
export { charge, dataVersion, findAnswer, listSpending, lockBudget, resetBudget, spentRho, storeAnswer } from './ledger.ts';
export type { BudgetKey, ChargeKind } from './ledger.ts';
