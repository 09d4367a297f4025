import { AirlockError } from '@airlock/core';
import type { AirlockDatabase } from '@airlock/db';
import { charge, lockBudget } from '@airlock/ledger';
import type { SyntheticPrivacy } from '@airlock/policy';
import { budgetPeriod, epsilonFromRho, rhoFromEpsilon } from '@airlock/privacy';

/**
 * Whose budget a synthetic release spends: the synthetic zone's own, one per dataset, since its
 * rows go to every reader of the zone (the public included), not to one analyst.
 */
export const SYNTHETIC_RELEASES = 'synthetic-releases';

/** The privacy loss one private release spends, as charged. */
export interface SyntheticCharge {
  readonly epsilon: number;
  readonly delta: number;
  /** ρ of the fit: ε at δ/2 converted to zCDP. */
  readonly rho: number;
  /** The other half of δ, for choosing undeclared categories. */
  readonly selectionDelta: number;
  readonly periodStart: string;
  readonly renewsAt: string;
  /** ρ spent on the dataset's synthetic releases this period, this one included. */
  readonly spentRho: number;
  readonly budgetRho: number;
}

/**
 * Charge one private synthetic release to the privacy-loss ledger, in its own transaction: the
 * policy's ε and δ (δ split between the zCDP conversion and category selection), against a budget
 * of `releases_per_period` such releases. Throws BUDGET_EXHAUSTED, saying when the budget renews,
 * when the period's releases are used up.
 */
export async function chargeSyntheticRelease(database: AirlockDatabase, dataset: string, privacy: SyntheticPrivacy, now: Date): Promise<SyntheticCharge> {
  const delta = privacy.delta / 2;
  const rho = rhoFromEpsilon(privacy.epsilon, delta);
  const budgetRho = rho * privacy.releasesPerPeriod;
  const period = budgetPeriod(privacy.period, now);
  const key = { analyst: SYNTHETIC_RELEASES, dataset, periodStart: period.start };
  const spentRho = await database.transact((step) =>
    step('ledger', async (trx) => {
      await lockBudget(trx, key);
      // A hair of slack so that exactly `releases_per_period` releases fit despite rounding.
      return charge(trx, key, budgetRho * (1 + 1e-9), rho, 'synthetic', null);
    }),
  );
  if (spentRho === null) {
    throw new AirlockError(
      'BUDGET_EXHAUSTED',
      `The synthetic zone of ${dataset} has made its ${privacy.releasesPerPeriod} private release(s) for this ${privacy.period} (ε = ${privacy.epsilon} each); ` +
        `the budget renews on ${period.renews}. Until then the last published release stays; a steward may raise releases_per_period in the policy.`,
      { details: { budgetRho, renewsAt: period.renews } },
    );
  }
  return { epsilon: epsilonFromRho(rho, delta), delta: privacy.delta, rho, selectionDelta: delta, periodStart: period.start, renewsAt: period.renews, spentRho, budgetRho };
}
