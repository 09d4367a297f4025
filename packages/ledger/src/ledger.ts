import { sql } from 'kysely';
import type { LedgerChargesTable, ZoneTransaction } from '@airlock/db';

/*
 * The privacy-loss ledger's SQL, run inside a caller's transaction as the `ledger` role (see
 * AirlockDatabase.transact). Nothing here decides anything: the caller says what the budget is
 * and what a release costs; the database makes the charge atomic.
 */

/** Which budget: one analyst (JWT subject), one dataset, one period. */
export interface BudgetKey {
  analyst: string;
  dataset: string;
  /** First day of the period, YYYY-MM-DD. */
  periodStart: string;
}

export type ChargeKind = LedgerChargesTable['kind'];

/** The budget row's primary key, as column values. */
function budgetRow(key: BudgetKey) {
  return { analyst: key.analyst, dataset: key.dataset, period_start: key.periodStart };
}

/**
 * Make sure the budget row exists and lock it until the transaction ends. Every release for the
 * same analyst and dataset queues here, so a cache check and a charge made after it see every
 * earlier release (no two concurrent requests can both miss the cache and both pay).
 */
export async function lockBudget(trx: ZoneTransaction, key: BudgetKey): Promise<number> {
  await trx
    .insertInto('ledger.budgets')
    .values(budgetRow(key))
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await trx
    .selectFrom('ledger.budgets')
    .select('spent_rho')
    .where((eb) => eb.and(budgetRow(key)))
    .forUpdate()
    .executeTakeFirstOrThrow();
  return Number(row.spent_rho);
}

/**
 * Charge `rho` if it fits in `budgetRho`: one conditional UPDATE, so concurrent charges can
 * never overspend. Returns the new total spent, or null when the charge does not fit — or when
 * the budget row does not exist yet: call {@link lockBudget} first in the same transaction.
 */
export async function charge(trx: ZoneTransaction, key: BudgetKey, budgetRho: number, rho: number, kind: ChargeKind, queryHash: string | null): Promise<number | null> {
  const updated = await trx
    .updateTable('ledger.budgets')
    .set({ spent_rho: sql<number>`spent_rho + ${rho}::numeric` })
    .where((eb) => eb.and(budgetRow(key)))
    .where(sql<boolean>`spent_rho + ${rho}::numeric <= ${budgetRho}::numeric`)
    .returning('spent_rho')
    .executeTakeFirst();
  if (!updated) return null;
  await trx
    .insertInto('ledger.charges')
    .values({ ...budgetRow(key), kind, rho, query_hash: queryHash })
    .execute();
  return Number(updated.spent_rho);
}

/** Set an analyst's spending in a period back to zero, recorded as a `reset` charge of minus what was spent. */
export async function resetBudget(trx: ZoneTransaction, key: BudgetKey): Promise<number> {
  const spent = await lockBudget(trx, key);
  await trx
    .updateTable('ledger.budgets')
    .set({ spent_rho: 0 })
    .where((eb) => eb.and(budgetRow(key)))
    .execute();
  await trx
    .insertInto('ledger.charges')
    .values({ ...budgetRow(key), kind: 'reset', rho: -spent, query_hash: null })
    .execute();
  return spent;
}

/** ρ spent by one analyst in a period (0 when nothing was charged). */
export async function spentRho(trx: ZoneTransaction, key: BudgetKey): Promise<number> {
  const row = await trx
    .selectFrom('ledger.budgets')
    .select('spent_rho')
    .where((eb) => eb.and(budgetRow(key)))
    .executeTakeFirst();
  return Number(row?.spent_rho ?? 0);
}

/** Every analyst's spending on a dataset in a period, most spent first. */
export async function listSpending(trx: ZoneTransaction, dataset: string, periodStart: string): Promise<Array<{ analyst: string; spentRho: number }>> {
  const rows = await trx
    .selectFrom('ledger.budgets')
    .select(['analyst', 'spent_rho'])
    .where('dataset', '=', dataset)
    .where('period_start', '=', periodStart)
    .orderBy('spent_rho', 'desc')
    .orderBy('analyst')
    .execute();
  return rows.map((r) => ({ analyst: r.analyst, spentRho: Number(r.spent_rho) }));
}

/** The cached answer to a query, if this analyst already paid for it on this data. */
export async function findAnswer(trx: ZoneTransaction, analyst: string, dataset: string, queryHash: string, dataVersion: string): Promise<unknown> {
  const row = await trx
    .selectFrom('ledger.answers')
    .select('answer')
    .where('analyst', '=', analyst)
    .where('dataset', '=', dataset)
    .where('query_hash', '=', queryHash)
    .where('data_version', '=', dataVersion)
    .executeTakeFirst();
  return row?.answer;
}

export async function storeAnswer(trx: ZoneTransaction, analyst: string, dataset: string, queryHash: string, dataVersion: string, answer: unknown, rho: number): Promise<void> {
  await trx
    .insertInto('ledger.answers')
    .values({ analyst, dataset, query_hash: queryHash, data_version: dataVersion, answer: JSON.stringify(answer), rho })
    .execute();
}

/**
 * A fingerprint of a dataset's loads: it changes whenever rows are loaded or a load is removed,
 * so an answer cached for older data is not served for newer data (a new answer is paid for).
 */
export async function dataVersion(trx: ZoneTransaction, dataset: string): Promise<string> {
  const rows = await trx.selectFrom('catalog.ingest_sources').select(['id', 'loaded']).where('dataset', '=', dataset).orderBy('id').execute();
  return rows.map((r) => `${r.id}:${r.loaded}`).join(',');
}
