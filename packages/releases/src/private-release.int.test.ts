import { InMemoryKeyring } from '@airlock/deid';
import { ingestFile } from '@airlock/ingest';
import type { DatasetPolicy } from '@airlock/policy';
import { rhoFromEpsilon } from '@airlock/privacy';
import { ADULT_CSV, applyRepoPolicies, createTestDatabase, TEST_ACTOR, type TestDatabase } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeDataset } from './index.ts';

/*
 * A private synthetic release through the real path, on the repository's Adult policy
 * (zones.synthetic.privacy: ε = 1, 4 releases a year): the ledger is charged before the model
 * sees the data, the report says what was spent, the release follows the deidentified view's
 * generalization, and a release beyond the period's budget is refused with the last one kept.
 */
describe('a differentially private synthetic release of Adult', () => {
  let test: TestDatabase;
  let policy: DatasetPolicy;

  beforeAll(async () => {
    test = await createTestDatabase('pglite');
    const { set } = await applyRepoPolicies(test.database);
    policy = set.datasets.get('adult')!;
    await ingestFile({ database: test.database, policy, policyVersion: 1, keys: InMemoryKeyring.generate(1), file: ADULT_CSV, delimiter: ';', actor: TEST_ACTOR });
  }, 300_000);
  afterAll(() => test.drop());

  const charges = () =>
    test.database.withZone('ledger', (trx) => sql<{ analyst: string; kind: string; rho: number }>`select analyst, kind, rho::float8 as rho from ledger.charges where dataset = 'adult'`.execute(trx));

  it('publishes, charges ε = 1 to the ledger, and reports the spending', async () => {
    const result = await synthesizeDataset({ database: test.database, policy, policyVersion: 1, seed: 5, actor: TEST_ACTOR });
    expect(result.decision).toEqual({ kind: 'publish' });
    const dp = result.reports.differentialPrivacy!;
    expect(dp.epsilon).toBeCloseTo(1, 9);
    expect(dp.delta).toBe(1e-6);
    expect(dp.rho).toBeCloseTo(rhoFromEpsilon(1, 5e-7), 12);
    expect(dp.budgetRho).toBeCloseTo(4 * dp.rho, 12);
    expect(dp.fit.maxRowsPerSubject).toBe(1);
    expect((await charges()).rows).toEqual([{ analyst: 'synthetic-releases', kind: 'synthetic', rho: expect.closeTo(dp.rho, 9) }]);
    expect(result.reports.quality.overall).toBeGreaterThan(0.9);
    console.log(`Adult private release ε=1: quality ${result.reports.quality.overall.toFixed(3)}, TSTR ROC AUC gap ${result.reports.utility!.gaps.rocAuc.toFixed(3)}, ${result.rows} rows`);
    // Never finer than the deidentified view: ages are bands there (`dd-dd`), so they are bands here.
    const shape = (value: string | null) => (value === null ? null : value.replace(/\d/gu, 'd'));
    const ages = await test.database.withZone('synthetic', (trx) => sql<{ age: string | null }>`select distinct age::text as age from synthetic.adult`.execute(trx));
    const published = await test.database.withZone('deidentified', (trx) => sql<{ age: string | null }>`select distinct age::text as age from deidentified.adult`.execute(trx));
    const shapes = new Set(published.rows.map((r) => shape(r.age)));
    expect(ages.rows.filter((r) => r.age !== null && !shapes.has(shape(r.age)))).toEqual([]);
    const audit = await test.database.withZone('audit', (trx) =>
      sql<{ details: Record<string, unknown> }>`select details from audit.events where event_type = 'synth.release' order by seq desc limit 1`.execute(trx),
    );
    expect(audit.rows[0]!.details).toMatchObject({ epsilon: expect.closeTo(1, 9), rho: expect.closeTo(dp.rho, 9) });
  }, 300_000);

  it('refuses a release beyond the period’s budget, before reading anything into a model, and keeps the last one', async () => {
    const before = await test.database.withZone('synthetic', (trx) => sql<{ n: number }>`select count(*)::int as n from synthetic.adult`.execute(trx));
    const once = { ...policy, zones: { ...policy.zones, synthetic: { ...policy.zones.synthetic!, privacy: { ...policy.zones.synthetic!.privacy!, releasesPerPeriod: 1 } } } };
    const refused = await synthesizeDataset({ database: test.database, policy: once, policyVersion: 1, seed: 6, actor: TEST_ACTOR }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'BUDGET_EXHAUSTED' });
    expect(String((refused as Error).message)).toMatch(/made its 1 private release\(s\) for this year .* renews on \d{4}-\d{2}-\d{2}/u);
    expect((await charges()).rows).toHaveLength(1);
    const after = await test.database.withZone('synthetic', (trx) => sql<{ n: number }>`select count(*)::int as n from synthetic.adult`.execute(trx));
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  }, 120_000);
});
