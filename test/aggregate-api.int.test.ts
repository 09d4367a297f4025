/**
 * The DP aggregate API over HTTP as analysts and stewards use it: free estimates and accuracy
 * targets, windows widened to whole periods, the budget and its exhaustion, cached answers, exact
 * aggregates for stewards audited as such, and steward budget views and resets (audited). The
 * ledger and audit log are read back as the database owner, not through the gateway.
 */
import { testDatabaseKinds } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayHarness, type GatewayHarness } from './support/gateway-harness.ts';

const MONTHLY = `{ admissions { aggregate(groupBy: [ward], dateBucket: {column: admitted_at, grain: month}, from: "2024-01-10", to: "2024-03-05") {
  window { from to widened grain } cells { ward period subjects subjectsInterval { low high } suppressed }
  privacy { rho epsilon delta cached threshold budget { spentRho remainingRho budgetRho renewsAt defaultQueriesLeft } } } } }`;

describe.each(testDatabaseKinds())('aggregate API on %s', (kind) => {
  let gw: GatewayHarness;
  beforeAll(async () => {
    gw = await startGatewayHarness(kind, { demoRows: 1500 });
  }, 240_000);
  afterAll(() => gw?.close());

  const events = async (type: string) =>
    (await sql<{ actor: string; details: Record<string, unknown> }>`select actor, details from audit.events where event_type = ${type} order by seq`.execute(gw.test.owner)).rows;

  it('estimates cost and error for free, and an accuracy target picks the cost', async () => {
    const token = await gw.token(['analyst'], 'estimator');
    const res = await gw.gql<{ admissions: { aggregateEstimate: { rho: number; epsilon: number; cells: number; subjectsHalfWidth: number; partitionSelection: boolean; budget: { spentRho: number } } } }>(
      token,
      `{ admissions { aggregateEstimate(groupBy: [ward], dateBucket: {column: admitted_at, grain: quarter}, from: "2024-01-01", to: "2024-12-31", accuracy: {statistic: subjects, halfWidth: 20}) {
        rho epsilon cells subjectsHalfWidth partitionSelection budget { spentRho } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const estimate = res.data!.admissions.aggregateEstimate;
    expect(estimate.cells).toBe(8 * 4);
    expect(estimate.partitionSelection).toBe(false);
    expect(estimate.subjectsHalfWidth).toBeLessThanOrEqual(20);
    expect(estimate.rho).toBeGreaterThan(0);
    expect(estimate.budget.spentRho).toBe(0);
    const ledger = await sql`select * from ledger.charges where analyst = 'estimator'`.execute(gw.test.owner);
    expect(ledger.rows).toHaveLength(0);
  });

  it('widens the window to whole months, charges the budget once, and answers a repeat from the cache', async () => {
    const token = await gw.token(['analyst'], 'monthly');
    const first = await gw.gql<{ admissions: { aggregate: { window: Record<string, unknown>; cells: unknown[]; privacy: { rho: number; cached: boolean; budget: { spentRho: number; budgetRho: number } } } } }>(token, MONTHLY);
    expect(first.errors).toBeUndefined();
    const aggregate = first.data!.admissions.aggregate;
    expect(aggregate.window).toEqual({ from: '2024-01-01', to: '2024-03-31', widened: true, grain: 'month' });
    expect(aggregate.cells).toHaveLength(8 * 3);
    expect(aggregate.privacy.cached).toBe(false);
    expect(aggregate.privacy.budget.spentRho).toBeCloseTo(aggregate.privacy.rho, 9);
    const again = await gw.gql<typeof first.data>(token, MONTHLY);
    expect(again.data!.admissions.aggregate.cells).toEqual(aggregate.cells);
    expect(again.data!.admissions.aggregate.privacy.cached).toBe(true);
    const charges = await sql<{ rho: number }>`select rho::float8 as rho from ledger.charges where analyst = 'monthly'`.execute(gw.test.owner);
    expect(charges.rows.map((r) => Number(r.rho))).toEqual([aggregate.privacy.rho]);
    const released = (await events('aggregate.release')).filter((e) => e.actor === 'monthly');
    expect(released.map((e) => e.details['cached'])).toEqual([false, true]);
  });

  it('refuses a query the budget cannot pay for, saying what is left and when it renews', async () => {
    const token = await gw.token(['analyst'], 'spender');
    const budget = await gw.gql<{ admissions: { privacyBudget: { budgetRho: number } } }>(token, '{ admissions { privacyBudget { budgetRho } } }');
    const total = budget.data!.admissions.privacyBudget.budgetRho;
    const spend = await gw.gql(token, `{ admissions { aggregate(groupBy: [sex], cost: ${total * 0.75}) { cells { subjects } } } }`);
    expect(spend.errors).toBeUndefined();
    const over = await gw.gql(token, `{ admissions { aggregate(groupBy: [ward], cost: ${total * 0.5}) { cells { subjects } } } }`);
    expect(over.status).toBe(200);
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'BUDGET_EXHAUSTED', budgetRho: total });
    expect(over.errors?.[0]?.message).toMatch(/only .* is left this month; it renews on \d{4}-\d{2}-01/);
    // The refused query spent nothing.
    const after = await gw.gql<{ admissions: { privacyBudget: { spentRho: number } } }>(token, '{ admissions { privacyBudget { spentRho } } }');
    expect(after.data!.admissions.privacyBudget.spentRho).toBeCloseTo(total * 0.75, 9);
  });

  it('gives analysts no minima or maxima, and no budget administration', async () => {
    const token = await gw.token(['analyst'], 'curious');
    const extremes = await gw.gql(token, '{ admissions { aggregate(groupBy: [ward]) { cells { cost_min } } } }');
    expect(extremes.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const reset = await gw.gql(token, 'mutation { resetPrivacyBudget(dataset: "admissions", analyst: "curious") { spentRho } }');
    expect(reset.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('gives stewards exact aggregates, audited as exact, every analyst budget, and audited resets', async () => {
    const steward = await gw.token(['steward'], 'data-owner');
    const exact = await gw.gql<{ admissions: { aggregate: { exact: boolean; privacy: unknown; cells: Array<{ ward: string; subjects: number; cost_max: number }> } } }>(
      steward,
      '{ admissions { aggregate(groupBy: [ward]) { exact privacy { rho } cells { ward subjects cost_max } } } }',
    );
    expect(exact.errors).toBeUndefined();
    expect(exact.data!.admissions.aggregate.exact).toBe(true);
    expect(exact.data!.admissions.aggregate.privacy).toBeNull();
    const truth = await sql<{ ward: string; subjects: number }>`select ward, count(distinct _subject)::int as subjects from restricted.admissions group by ward`.execute(gw.test.owner);
    for (const row of truth.rows) expect(exact.data!.admissions.aggregate.cells.find((c) => c.ward === row.ward)?.subjects).toBe(Number(row.subjects));
    expect((await events('aggregate.release')).filter((e) => e.actor === 'data-owner').map((e) => e.details['exact'])).toEqual([true]);

    const budgets = await gw.gql<{ admissions: { privacyBudgets: Array<{ analyst: string; spentRho: number }> } }>(steward, '{ admissions { privacyBudgets { analyst spentRho } } }');
    expect(budgets.data!.admissions.privacyBudgets.map((b) => b.analyst)).toEqual(expect.arrayContaining(['monthly', 'spender']));
    const reset = await gw.gql<{ resetPrivacyBudget: { spentRho: number; remainingRho: number; budgetRho: number } }>(
      steward,
      'mutation { resetPrivacyBudget(dataset: "admissions", analyst: "spender") { spentRho remainingRho budgetRho } }',
    );
    expect(reset.data!.resetPrivacyBudget.spentRho).toBe(0);
    expect(reset.data!.resetPrivacyBudget.remainingRho).toBe(reset.data!.resetPrivacyBudget.budgetRho);
    expect((await events('budget.reset')).map((e) => e.details['analyst'])).toEqual(['spender']);
  });
});
