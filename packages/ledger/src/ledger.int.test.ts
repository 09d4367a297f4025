import type { ZoneTransaction } from '@airlock/db';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charge, dataVersion, findAnswer, listSpending, lockBudget, resetBudget, spentRho, storeAnswer, type BudgetKey } from './index.ts';

const NOVEMBER = '2026-11-01';
const DECEMBER = '2026-12-01';

const key = (analyst: string, periodStart = NOVEMBER, dataset = 'admissions'): BudgetKey => ({ analyst, dataset, periodStart });

describe.each(testDatabaseKinds())('privacy-loss ledger on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
  });
  afterAll(() => test.drop());

  /** One transaction with one step as the ledger role, as the gateway runs it. */
  const asLedger = <T>(fn: (trx: ZoneTransaction) => Promise<T>): Promise<T> => test.database.transact((step) => step('ledger', fn));

  /** The charges recorded for a budget, read as the connecting user (independent of the code under test). */
  async function chargesOf(k: BudgetKey): Promise<{ count: number; total: number; kinds: string[] }> {
    const rows = await test.owner
      .selectFrom('ledger.charges')
      .select(['kind', 'rho'])
      .where('analyst', '=', k.analyst)
      .where('dataset', '=', k.dataset)
      .where('period_start', '=', k.periodStart)
      .orderBy('id')
      .execute();
    // Summed in the database as numeric, so the total is exact.
    const total = await test.owner
      .selectFrom('ledger.charges')
      .select(sql<number>`coalesce(sum(rho), 0)`.as('total'))
      .where('analyst', '=', k.analyst)
      .where('dataset', '=', k.dataset)
      .where('period_start', '=', k.periodStart)
      .executeTakeFirstOrThrow();
    return { count: rows.length, total: Number(total.total), kinds: rows.map((r) => r.kind) };
  }

  it('creates a budget at 0 and accumulates charges exactly', async () => {
    const k = key('alice');
    expect(await asLedger((trx) => lockBudget(trx, k))).toBe(0);
    expect(await asLedger((trx) => charge(trx, k, 0.25, 0.05, 'aggregate', 'q1'))).toBe(0.05);
    expect(await asLedger((trx) => charge(trx, k, 0.25, 0.1, 'aggregate', 'q2'))).toBe(0.15);
    expect(await asLedger((trx) => charge(trx, k, 0.25, 0.03, 'synthetic', null))).toBe(0.18);
    expect(await asLedger((trx) => spentRho(trx, k))).toBe(0.18);
    expect(await asLedger((trx) => lockBudget(trx, k))).toBe(0.18);
    expect(await chargesOf(k)).toEqual({ count: 3, total: 0.18, kinds: ['aggregate', 'aggregate', 'synthetic'] });
  });

  it('refuses a charge over the budget (null) and leaves what was spent unchanged', async () => {
    const k = key('bob');
    await asLedger((trx) => lockBudget(trx, k));
    expect(await asLedger((trx) => charge(trx, k, 0.2, 0.15, 'aggregate', 'q1'))).toBe(0.15);
    expect(await asLedger((trx) => charge(trx, k, 0.2, 0.1, 'aggregate', 'q2'))).toBeNull();
    expect(await asLedger((trx) => spentRho(trx, k))).toBe(0.15);
    expect(await chargesOf(k)).toEqual({ count: 1, total: 0.15, kinds: ['aggregate'] });
    // Spending the budget to the last digit is allowed; one millionth more is not.
    expect(await asLedger((trx) => charge(trx, k, 0.2, 0.05, 'aggregate', 'q3'))).toBe(0.2);
    expect(await asLedger((trx) => charge(trx, k, 0.2, 0.000001, 'aggregate', 'q4'))).toBeNull();
    expect(await asLedger((trx) => spentRho(trx, k))).toBe(0.2);
  });

  it('reports 0 spent for a budget never charged', async () => {
    expect(await asLedger((trx) => spentRho(trx, key('nobody')))).toBe(0);
  });

  describe('300 concurrent charges of ρ = 0.01 against a budget of 1.0', () => {
    const CHARGES = 300;

    /** Every charge in its own transaction, all started at once. */
    async function stampede(k: BudgetKey, lockFirst: boolean): Promise<(number | null)[]> {
      return Promise.all(
        Array.from({ length: CHARGES }, (_, i) =>
          test.database.transact(async (step) => {
            if (lockFirst) await step('ledger', (trx) => lockBudget(trx, k));
            return step('ledger', (trx) => charge(trx, k, 1.0, 0.01, 'aggregate', `q${i}`));
          }),
        ),
      );
    }

    async function expectExactlyTheBudget(k: BudgetKey, results: (number | null)[]): Promise<void> {
      const granted = results.filter((r): r is number => r !== null);
      expect(granted).toHaveLength(100);
      expect(results.filter((r) => r === null)).toHaveLength(CHARGES - 100);
      // Each success saw a different total: 0.01, 0.02, ..., 1.00, each once (no two read the same).
      expect([...granted].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => Number(((i + 1) / 100).toFixed(2))));
      expect(await asLedger((trx) => spentRho(trx, k))).toBe(1);
      // 0 overspent: the charges recorded add up to the budget exactly, one row per success.
      expect(await chargesOf(k)).toMatchObject({ count: 100, total: 1 });
    }

    it('the conditional UPDATE alone: exactly 100 succeed, spent = 1.0, 0 overspent', async () => {
      const k = key('crowd');
      await asLedger((trx) => lockBudget(trx, k));
      await expectExactlyTheBudget(k, await stampede(k, false));
    });

    it('as the gateway runs it (lock, then charge) on a budget row that does not exist yet', async () => {
      const k = key('crowd-new');
      await expectExactlyTheBudget(k, await stampede(k, true));
    });
  });

  /** Resolves for everyone once `n` callers have arrived: two transactions interleaved on purpose. */
  function barrier(n: number): () => Promise<void> {
    let arrived = 0;
    let open = () => undefined as void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return async () => {
      if (++arrived === n) open();
      await opened;
    };
  }

  /** The planted bug: read what was spent, decide in code, then add (a check-then-act race). */
  async function readThenCharge(trx: ZoneTransaction, k: BudgetKey, budgetRho: number, rho: number, spentSeen: number): Promise<number | null> {
    if (spentSeen + rho > budgetRho) return null;
    const row = await trx
      .updateTable('ledger.budgets')
      .set({ spent_rho: sql<number>`spent_rho + ${rho}::numeric` })
      .where('analyst', '=', k.analyst)
      .where('dataset', '=', k.dataset)
      .where('period_start', '=', k.periodStart)
      .returning('spent_rho')
      .executeTakeFirstOrThrow();
    return Number(row.spent_rho);
  }

  /** Two transactions both read 0.05 spent of 0.1, then both try to charge 0.05. */
  async function twoAtOnce(k: BudgetKey, chargeFn: (trx: ZoneTransaction, spentSeen: number) => Promise<number | null>): Promise<(number | null)[]> {
    await asLedger(async (trx) => {
      await lockBudget(trx, k);
      return charge(trx, k, 0.1, 0.05, 'aggregate', 'first');
    });
    const bothHaveRead = barrier(2);
    return Promise.all(
      [0, 1].map(() =>
        test.database.transact(async (step) => {
          const seen = await step('ledger', (trx) => spentRho(trx, k));
          await bothHaveRead();
          return step('ledger', (trx) => chargeFn(trx, seen));
        }),
      ),
    );
  }

  // PGlite has one connection, so two transactions cannot be interleaved there.
  it.runIf(kind === 'postgres')('two interleaved charges cannot both fit in the last 0.05 (catches the planted read-then-charge race)', async () => {
    const real = key('pair');
    const results = await twoAtOnce(real, (trx) => charge(trx, real, 0.1, 0.05, 'aggregate', 'second'));
    expect(results.filter((r) => r !== null)).toEqual([0.1]);
    expect(await asLedger((trx) => spentRho(trx, real))).toBe(0.1);

    const planted = key('pair-planted');
    const overspent = await twoAtOnce(planted, (trx, seen) => readThenCharge(trx, planted, 0.1, 0.05, seen));
    expect(overspent.sort()).toEqual([0.1, 0.15]);
    expect(await asLedger((trx) => spentRho(trx, planted))).toBeGreaterThan(0.1);
  });

  it('refunds a charge whose transaction fails later (the release or its audit event)', async () => {
    const k = key('carol');
    await asLedger((trx) => lockBudget(trx, k));
    await asLedger((trx) => charge(trx, k, 0.25, 0.05, 'aggregate', 'ok'));
    const before = await chargesOf(k);

    const thrown = test.database.transact(async (step) => {
      expect(await step('ledger', (trx) => charge(trx, k, 0.25, 0.1, 'aggregate', 'fails'))).toBeCloseTo(0.15, 12);
      throw new Error('the query failed after the charge');
    });
    await expect(thrown).rejects.toThrow('the query failed after the charge');

    // A database error in a later step under another role rolls the charge back too.
    const failedSql = test.database.transact(async (step) => {
      await step('ledger', (trx) => charge(trx, k, 0.25, 0.1, 'aggregate', 'fails-in-sql'));
      await step('aggregate', (trx) => sql`select 1 / 0`.execute(trx));
    });
    await expect(failedSql).rejects.toMatchObject({ code: '22012' });

    expect(await asLedger((trx) => spentRho(trx, k))).toBe(0.05);
    expect(await chargesOf(k)).toEqual(before);
  });

  it('catches the planted bug of charging in a transaction of its own (the failure is not refunded)', async () => {
    const k = key('carol-planted');
    await asLedger((trx) => lockBudget(trx, k));
    await asLedger((trx) => charge(trx, k, 0.25, 0.1, 'aggregate', 'paid-separately'));
    await expect(test.database.transact(() => Promise.reject(new Error('the query failed after the charge')))).rejects.toThrow();
    expect(await asLedger((trx) => spentRho(trx, k))).not.toBe(0);
  });

  it('starts a new period at 0, whatever the last period spent', async () => {
    const nov = key('dave', NOVEMBER);
    const dec = key('dave', DECEMBER);
    await asLedger((trx) => lockBudget(trx, nov));
    expect(await asLedger((trx) => charge(trx, nov, 0.25, 0.25, 'aggregate', 'q'))).toBe(0.25);
    expect(await asLedger((trx) => charge(trx, nov, 0.25, 0.05, 'aggregate', 'q'))).toBeNull();
    expect(await asLedger((trx) => spentRho(trx, dec))).toBe(0);
    expect(await asLedger((trx) => lockBudget(trx, dec))).toBe(0);
    expect(await asLedger((trx) => charge(trx, dec, 0.25, 0.05, 'aggregate', 'q'))).toBe(0.05);
    expect(await asLedger((trx) => spentRho(trx, nov))).toBe(0.25);
    // Budgets are per dataset too.
    expect(await asLedger((trx) => spentRho(trx, key('dave', NOVEMBER, 'adult')))).toBe(0);
  });

  it('resets a budget to 0 and records a reset charge of minus what was spent', async () => {
    const k = key('erin');
    await asLedger((trx) => lockBudget(trx, k));
    await asLedger((trx) => charge(trx, k, 0.25, 0.2, 'aggregate', 'q1'));
    expect(await asLedger((trx) => resetBudget(trx, k))).toBe(0.2);
    expect(await asLedger((trx) => spentRho(trx, k))).toBe(0);
    // The charges still balance: +0.2, then −0.2.
    expect(await chargesOf(k)).toEqual({ count: 2, total: 0, kinds: ['aggregate', 'reset'] });
    const reset = await test.owner.selectFrom('ledger.charges').select(['rho', 'query_hash']).where('analyst', '=', 'erin').where('kind', '=', 'reset').executeTakeFirstOrThrow();
    expect(reset).toEqual({ rho: -0.2, query_hash: null });
    expect(await asLedger((trx) => charge(trx, k, 0.25, 0.25, 'aggregate', 'q2'))).toBe(0.25);
    // Resetting a budget never charged creates it at 0.
    expect(await asLedger((trx) => resetBudget(trx, key('frank')))).toBe(0);
    expect(await asLedger((trx) => spentRho(trx, key('frank')))).toBe(0);
  });

  it('lists spending on a dataset in a period, most spent first, then by analyst', async () => {
    const period = '2027-01-01';
    for (const [analyst, rho] of [
      ['zed', 0.2],
      ['amy', 0.05],
      ['kim', 0.2],
    ] as const) {
      const k = key(analyst, period);
      await asLedger(async (trx) => {
        await lockBudget(trx, k);
        return charge(trx, k, 0.25, rho, 'aggregate', null);
      });
    }
    await asLedger((trx) => lockBudget(trx, key('ann', period, 'adult')));
    expect(await asLedger((trx) => listSpending(trx, 'admissions', period))).toEqual([
      { analyst: 'kim', spentRho: 0.2 },
      { analyst: 'zed', spentRho: 0.2 },
      { analyst: 'amy', spentRho: 0.05 },
    ]);
  });

  describe('cached answers', () => {
    const answer = { result: { cells: [{ dims: { ward: 'icu' }, subjects: { value: 42, low: 30, high: 54 } }], other: null } };

    it('returns an answer to the analyst who paid for it, for the same question on the same data only', async () => {
      await asLedger((trx) => storeAnswer(trx, 'alice', 'admissions', 'hash-1', 'v1', answer, 0.05));
      expect(await asLedger((trx) => findAnswer(trx, 'alice', 'admissions', 'hash-1', 'v1'))).toEqual(answer);
      expect(await asLedger((trx) => findAnswer(trx, 'bob', 'admissions', 'hash-1', 'v1'))).toBeUndefined();
      expect(await asLedger((trx) => findAnswer(trx, 'alice', 'adult', 'hash-1', 'v1'))).toBeUndefined();
      expect(await asLedger((trx) => findAnswer(trx, 'alice', 'admissions', 'hash-2', 'v1'))).toBeUndefined();
      expect(await asLedger((trx) => findAnswer(trx, 'alice', 'admissions', 'hash-1', 'v2'))).toBeUndefined();
    });

    it('keeps one answer per (analyst, dataset, question, data version)', async () => {
      await asLedger((trx) => storeAnswer(trx, 'alice', 'admissions', 'hash-3', 'v1', answer, 0.05));
      await expect(asLedger((trx) => storeAnswer(trx, 'alice', 'admissions', 'hash-3', 'v1', { other: 1 }, 0.05))).rejects.toMatchObject({ code: '23505' });
      // The same question on new data is a new answer.
      await asLedger((trx) => storeAnswer(trx, 'alice', 'admissions', 'hash-3', 'v2', { result: 'new' }, 0.05));
      expect(await asLedger((trx) => findAnswer(trx, 'alice', 'admissions', 'hash-3', 'v1'))).toEqual(answer);
      expect(await asLedger((trx) => findAnswer(trx, 'alice', 'admissions', 'hash-3', 'v2'))).toEqual({ result: 'new' });
    });

    it('an answer stored in a failed transaction is not kept', async () => {
      const failed = test.database.transact(async (step) => {
        await step('ledger', (trx) => storeAnswer(trx, 'alice', 'admissions', 'hash-4', 'v1', answer, 0.05));
        throw new Error('audit failed');
      });
      await expect(failed).rejects.toThrow('audit failed');
      expect(await asLedger((trx) => findAnswer(trx, 'alice', 'admissions', 'hash-4', 'v1'))).toBeUndefined();
    });
  });

  it('changes the data version whenever a dataset’s loads change, and only its own', async () => {
    const load = (dataset: string, sha: string, loaded: number) =>
      sql`insert into catalog.ingest_sources (dataset, sha256, file_name, bytes, loaded) values (${dataset}, ${sha}, 'x.csv', 10, ${loaded})`.execute(test.owner);
    const version = (dataset: string) => asLedger((trx) => dataVersion(trx, dataset));
    expect(await version('clinic')).toBe('');
    await load('clinic', 'a', 100);
    const v1 = await version('clinic');
    expect(v1).toMatch(/^\d+:100$/);
    await load('other', 'b', 5);
    expect(await version('clinic')).toBe(v1);
    await load('clinic', 'c', 20);
    const v2 = await version('clinic');
    expect(v2).not.toBe(v1);
    await sql`update catalog.ingest_sources set loaded = 150 where dataset = 'clinic' and sha256 = 'a'`.execute(test.owner);
    const v3 = await version('clinic');
    expect(new Set([v1, v2, v3]).size).toBe(3);
    await sql`delete from catalog.ingest_sources where dataset = 'clinic' and sha256 = 'c'`.execute(test.owner);
    expect(await version('clinic')).not.toBe(v3);
  });

  it.each([
    ['read the token vault', 'select * from restricted.vault'],
    ['read rejected raw rows', 'select raw from restricted.ingest_rejects'],
    ['read a source’s file name', 'select file_name from catalog.ingest_sources'],
    ['read the audit log', 'select * from audit.events'],
    ['rewrite a charge', 'update ledger.charges set rho = 0'],
    ['delete a charge', 'delete from ledger.charges'],
    ['delete a budget', 'delete from ledger.budgets'],
    ['change a cached answer', `update ledger.answers set answer = '{}'`],
  ])('the ledger role is refused: %s', async (_name, statement) => {
    await expect(asLedger((trx) => sql.raw(statement).execute(trx))).rejects.toMatchObject({ code: '42501' });
  });
});
