import { sql, type Kysely } from 'kysely';

/*
 * The privacy-loss ledger: one budget row per (analyst, dataset, period) whose `spent_rho` only a
 * conditional UPDATE raises, every charge as its own row, and the noisy answers already paid for
 * (so asking again returns the same answer at no cost). One ledger for every release of a
 * dataset — DP aggregates now, DP synthesis and training later — told apart by `kind`.
 * The `airlock_ledger` role reads and writes this schema only, and the datasets' source list in
 * the catalog (which tells when the data changed, so a cached answer is not served for new data).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    do $$ begin
      create role airlock_ledger nologin nosuperuser nocreatedb nocreaterole noinherit;
    exception when duplicate_object or unique_violation then null;
    end $$`).execute(db);
  await sql.raw(`
    do $$ begin
      if not (select rolsuper from pg_roles where rolname = current_user) then
        execute format('grant airlock_ledger to %I', current_user);
      end if;
    end $$`).execute(db);
  await sql.raw(`create schema ledger authorization airlock_owner`).execute(db);
  await sql.raw(`grant usage on schema ledger to airlock_ledger`).execute(db);

  await sql.raw(`set local role airlock_owner`).execute(db);
  await sql.raw(`
    create table ledger.budgets (
      analyst text not null,
      dataset text not null,
      period_start date not null,
      -- numeric, not float: the conditional UPDATE compares spent + cost with the budget exactly.
      spent_rho numeric not null default 0 check (spent_rho >= 0),
      primary key (analyst, dataset, period_start)
    );
    create table ledger.charges (
      id bigint generated always as identity primary key,
      analyst text not null,
      dataset text not null,
      period_start date not null,
      kind text not null check (kind in ('aggregate', 'synthetic', 'training', 'reset')),
      rho numeric not null,
      query_hash text,
      at timestamptz not null default now()
    );
    create index charges_by_budget on ledger.charges (dataset, analyst, period_start);
    create table ledger.answers (
      analyst text not null,
      dataset text not null,
      query_hash text not null,
      data_version text not null,
      answer jsonb not null,
      rho numeric not null,
      released_at timestamptz not null default now(),
      primary key (analyst, dataset, query_hash, data_version)
    );
    grant select, insert, update on ledger.budgets to airlock_ledger;
    grant select, insert on ledger.charges, ledger.answers to airlock_ledger;
    grant select (dataset, id, loaded) on catalog.ingest_sources to airlock_ledger;
    grant usage on schema catalog to airlock_ledger;
  `).execute(db);

  // Contribution bounding keeps each subject's first rows in _row_id order (random, so the choice
  // says nothing about the data): the aggregate role needs that column too.
  await sql.raw(`
    do $$ declare t text; begin
      for t in select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attname = '_row_id'
        join pg_attribute s on s.attrelid = c.oid and s.attname = '_subject'
        where n.nspname = 'restricted' and c.relkind = 'r'
          and has_column_privilege('airlock_aggregate', c.oid, s.attnum, 'select') loop
        execute format('grant select (_row_id) on restricted.%I to airlock_aggregate', t);
      end loop;
    end $$`).execute(db);

  for (const [type, description] of [
    ['aggregate.release', 'a differentially private aggregate was released and charged to the ledger'],
    ['budget.reset', 'a steward reset a privacy-loss budget'],
  ]) {
    await sql`insert into audit.event_types (event_type, description) values (${type}, ${description})`.execute(db);
  }
  await sql.raw(`reset role`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`drop schema if exists ledger cascade`).execute(db);
  await sql.raw(`delete from audit.event_types where event_type in ('aggregate.release', 'budget.reset')`).execute(db);
}
