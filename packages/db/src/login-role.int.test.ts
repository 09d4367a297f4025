/**
 * The application logs in as a role that is not a superuser, owns nothing and has no privileges
 * of its own (issue 12, finding 3). Before, it connected as the superuser of DATABASE_URL (or of
 * PGlite), so `RESET ROLE` or `SET ROLE postgres` inside a zone transaction escaped every zone
 * role; each escape test below read every table on that code.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTestDatabase, loginSessionOf, testDatabaseKinds, type TestDatabase } from '@airlock/testing';
import { Migrator, sql, type Migration } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_ROLES, migrateToLatest, MIGRATIONS_DIR, roleName, sqlRunner, type DbRole, type ZoneTransaction } from './index.ts';

// Tables migrations make in every zone: raw data, derived data, policies, audit, the ledger.
const TABLES = [
  'restricted.vault',
  'restricted.ingest_rejects',
  'deidentified.model_artifacts',
  'synthetic.model_artifacts',
  'catalog.policies',
  'catalog.ingest_sources',
  'catalog.models',
  'audit.events',
  'ledger.budgets',
  'ledger.answers',
];

const ESCAPES: Array<[string, string]> = [
  ['RESET ROLE', 'reset role'],
  ['SET ROLE NONE', 'set role none'],
  ['SET LOCAL ROLE NONE', 'set local role none'],
];

describe.each(testDatabaseKinds())('the login role on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
    // Something to read in each zone, so a read that should be refused cannot pass by being empty.
    await sql
      .raw(
        `insert into restricted.vault (domain, kind, lookup, public_value, key_version, sealed) values ('patient', 'token', 'l1', 'p1', 1, 'sealed');
         insert into catalog.ingest_sources (dataset, sha256, file_name, bytes) values ('people', 'abc', 'people.csv', 10);
         insert into ledger.budgets (analyst, dataset, period_start) values ('ana', 'people', '2026-01-01');`,
      )
      .execute(test.owner);
  });
  afterAll(() => test.drop());

  it.each(ESCAPES)('%s inside a zone transaction leaves a session that reads no zone table', async (_name, escape) => {
    for (const role of ['deidentified', 'restricted', 'audit'] as DbRole[]) {
      for (const table of TABLES) {
        const attempt = test.database.withZone(role, async (trx) => {
          await sql.raw(escape).execute(trx);
          return sql.raw(`select * from ${table} limit 1`).execute(trx);
        });
        await expect(attempt, `${escape} as ${role}, then ${table}`).rejects.toMatchObject({ code: '42501' });
      }
    }
  });

  it.each(['postgres', 'airlock_owner', 'pg_read_all_data', 'pg_read_server_files'])('SET ROLE %s inside a zone transaction is refused', async (target) => {
    const attempt = test.database.withZone('deidentified', (trx) => sql.raw(`set role ${target}`).execute(trx));
    await expect(attempt).rejects.toMatchObject({ code: '42501' });
  });

  it('the session under the zone role is the login role: no superuser, no inheritance, owns nothing', async () => {
    const who = await test.database.withZone('deidentified', async (trx) => {
      await sql`reset role`.execute(trx);
      return (await sql<{ u: string; s: string }>`select current_user as u, session_user as s`.execute(trx)).rows[0]!;
    });
    expect(who).toEqual({ u: 'airlock_app', s: 'airlock_app' });
    const [role] = (
      await sql<{ rolsuper: boolean; rolinherit: boolean; rolcanlogin: boolean; rolcreaterole: boolean; rolcreatedb: boolean; rolbypassrls: boolean }>`
        select rolsuper, rolinherit, rolcanlogin, rolcreaterole, rolcreatedb, rolbypassrls from pg_roles where rolname = 'airlock_app'`.execute(test.owner)
    ).rows;
    expect(role).toEqual({ rolsuper: false, rolinherit: false, rolcanlogin: true, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false });
    const owned = await sql<{ n: number }>`
      select (select count(*) from pg_class where relowner = 'airlock_app'::regrole)
           + (select count(*) from pg_namespace where nspowner = 'airlock_app'::regrole)
           + (select count(*) from pg_proc where proowner = 'airlock_app'::regrole) as n`.execute(test.owner);
    expect(owned.rows[0]!.n).toBe(0);
    const grants = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.role_table_grants where grantee = 'airlock_app'`.execute(test.owner);
    expect(grants.rows[0]!.n).toBe(0);
  });

  it('is a member of the zone roles and the queue role only', async () => {
    const { rows } = await sql<{ rolname: string }>`
      select g.rolname from pg_auth_members m join pg_roles g on g.oid = m.roleid
       where m.member = 'airlock_app'::regrole order by 1`.execute(test.owner);
    expect(rows.map((r) => r.rolname)).toEqual([...DB_ROLES.map(roleName), 'airlock_jobs'].sort());
  });

  it('sqlRunner takes a zone transaction only, never one of the owner', async () => {
    await expect(test.owner.transaction().execute(async (trx) => sqlRunner(trx as ZoneTransaction).query('select 1'))).rejects.toThrow(TypeError);
    const rows = await test.database.withZone('catalog', (trx) => sqlRunner(trx).query<{ n: number }>('select 1 as n'));
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('the login session with no zone role reads nothing', async () => {
    for (const table of TABLES) {
      await expect(sql.raw(`select * from ${table} limit 1`).execute(loginSessionOf(test.database)), table).rejects.toMatchObject({ code: '42501' });
    }
  });
});

describe.each(testDatabaseKinds())('the job queue role on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind, { migrate: false });
  });
  afterAll(() => test.drop());

  it('a queue schema installed by the superuser before migration 0008 moves to airlock_jobs, and queueSql uses it', async () => {
    const provider = {
      async getMigrations(): Promise<Record<string, Migration>> {
        const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{8}_\d{4}_[\w-]+\.ts$/.test(f)).sort();
        const all: Record<string, Migration> = {};
        for (const file of files) all[file.replace(/\.ts$/, '')] = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as Migration;
        return all;
      },
    };
    const before = await new Migrator({ db: test.owner, provider }).migrateTo('20261129_0007_audit_mac');
    expect(before.error).toBeUndefined();
    // What pg-boss installed as the connecting superuser looks like: a schema, an enum, a
    // partitioned table with a partition, a function.
    await sql
      .raw(
        `create schema pgboss;
         create type pgboss.job_state as enum ('created', 'completed');
         create table pgboss.job (name text not null, id int not null, state pgboss.job_state not null default 'created') partition by list (name);
         create table pgboss.job_a partition of pgboss.job for values in ('a');
         create function pgboss.pending() returns bigint language sql as $$ select count(*) from pgboss.job where state = 'created' $$;`,
      )
      .execute(test.owner);
    await migrateToLatest(test.database);
    const owners = await sql<{ owner: string }>`
      select distinct r.rolname as owner from (
        select nspowner as o from pg_namespace where nspname = 'pgboss'
        union all select relowner from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'pgboss' and c.relkind in ('r', 'p')
        union all select proowner from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'pgboss'
        union all select typowner from pg_type t join pg_namespace n on n.oid = t.typnamespace where n.nspname = 'pgboss' and t.typtype = 'e'
      ) x join pg_roles r on r.oid = x.o`.execute(test.owner);
    expect(owners.rows.map((r) => r.owner)).toEqual(['airlock_jobs']);
    await test.database.queueSql(`insert into pgboss.job (name, id) values ($1, $2)`, ['a', 1]);
    expect((await test.database.queueSql<{ n: number }>(`select pgboss.pending() as n`)).rows).toEqual([{ n: 1 }]);
    // The queue's role reads no zone.
    await expect(test.database.queueSql('select * from catalog.policies')).rejects.toMatchObject({ code: '42501' });
  });
});
