import { createTestDatabase, loginSessionOf, testDatabaseKinds, type TestDatabase } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, roleName, DB_ROLES } from './index.ts';

describe.each(testDatabaseKinds())('zones on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
    // A table in each zone schema, created by the owner as a dataset would be.
    await sql
      .raw(
        `set role airlock_owner;
         create table restricted.people (id int, name text);
         create table deidentified.people (id int, token text);
         create table synthetic.people (id int, fake text);
         insert into restricted.people values (1, 'Ada');
         reset role;`,
      )
      .execute(test.owner);
  });
  afterAll(() => test.drop());

  it('migrating twice is a no-op', async () => {
    expect(await migrateToLatest(test.database)).toEqual({ applied: [] });
  });

  it('each zone role reads its own schema', async () => {
    const rows = await test.database.withZone('restricted', (trx) => sql<{ name: string }>`select name from restricted.people`.execute(trx));
    expect(rows.rows).toEqual([{ name: 'Ada' }]);
    await test.database.withZone('deidentified', (trx) => sql`select * from deidentified.people`.execute(trx));
    await test.database.withZone('synthetic', (trx) => sql`select * from synthetic.people`.execute(trx));
  });

  const foreign: Array<[string, string]> = [
    ['deidentified', 'restricted.people'],
    ['synthetic', 'restricted.people'],
    ['synthetic', 'deidentified.people'],
    ['deidentified', 'synthetic.people'],
    ['restricted', 'deidentified.people'],
    ['audit', 'restricted.people'],
    ['catalog', 'restricted.people'],
    ['deidentified', 'audit.events'],
    ['aggregate', 'deidentified.people'],
  ];
  it.each(foreign)('the %s role cannot select from %s (the database refuses)', async (role, table) => {
    const attempt = test.database.withZone(role as never, (trx) => sql.raw(`select * from ${table}`).execute(trx));
    await expect(attempt).rejects.toMatchObject({ code: '42501' });
  });

  it('the aggregate role has no column of a restricted table unless granted', async () => {
    const attempt = test.database.withZone('aggregate', (trx) => sql`select name from restricted.people`.execute(trx));
    await expect(attempt).rejects.toMatchObject({ code: '42501' });
  });

  it('zone reads are read-only transactions', async () => {
    const attempt = test.database.withZone('deidentified', (trx) => sql`insert into deidentified.people values (2, 'x')`.execute(trx));
    await expect(attempt).rejects.toMatchObject({ code: '25006' });
  });

  it('no app role is a superuser, can log in, or owns a zone table', async () => {
    const names = DB_ROLES.map(roleName);
    const roles = await sql<{ rolname: string; rolsuper: boolean; rolcanlogin: boolean }>`
      select rolname, rolsuper, rolcanlogin from pg_roles where rolname = any(${names})`.execute(test.owner);
    expect(roles.rows).toHaveLength(names.length);
    for (const role of roles.rows) expect(role).toMatchObject({ rolsuper: false, rolcanlogin: false });
    const owners = await sql<{ tableowner: string }>`
      select distinct tableowner from pg_tables where schemaname in ('restricted','deidentified','synthetic','audit','catalog')`.execute(test.owner);
    expect(owners.rows.map((r) => r.tableowner)).toEqual(['airlock_owner']);
  });

  it('a role set inside a zone transaction does not leak to the next user of the connection', async () => {
    const current = async (): Promise<string> =>
      (await sql<{ u: string }>`select current_user as u`.execute(loginSessionOf(test.database))).rows[0]!.u;
    const before = await current();
    // Many zone transactions, so each pooled connection has been used by one.
    await Promise.all(
      Array.from({ length: 20 }, () =>
        test.database.withZone('deidentified', (trx) => sql`select current_user`.execute(trx)),
      ),
    );
    const after = await Promise.all(Array.from({ length: 20 }, current));
    expect(new Set(after)).toEqual(new Set([before]));
    expect(before).not.toBe(roleName('deidentified'));
  });

  it('a session-level SET ROLE left behind by a bug does not carry into the next zone transaction', async () => {
    // Every connection in the pool gets the bad session-level role...
    await Promise.all(
      Array.from({ length: 12 }, () =>
        test.database.withZone('deidentified', (trx) => sql.raw('set session role airlock_restricted').execute(trx)),
      ),
    );
    // ...and the next zone transactions still run as their own role and are refused.
    const attempts = await Promise.allSettled(
      Array.from({ length: 12 }, () =>
        test.database.withZone('deidentified', (trx) => sql`select name from restricted.people`.execute(trx)),
      ),
    );
    for (const attempt of attempts) {
      expect(attempt.status).toBe('rejected');
      expect((attempt as PromiseRejectedResult).reason).toMatchObject({ code: '42501' });
    }
    await Promise.all(Array.from({ length: 12 }, () => sql`reset role`.execute(loginSessionOf(test.database))));
  });

  it('a failed zone transaction also resets the role', async () => {
    await expect(
      test.database.withZone('deidentified', async (trx) => {
        await sql`select 1`.execute(trx);
        throw new Error('resolver bug');
      }),
    ).rejects.toThrow('resolver bug');
    const row = await sql<{ u: string }>`select current_user as u`.execute(loginSessionOf(test.database));
    expect(row.rows[0]!.u).not.toBe(roleName('deidentified'));
  });
});
