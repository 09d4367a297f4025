import { sql, type Kysely } from 'kysely';

/*
 * Zones as schemas, one role per zone with grants on its own schema only, an owner role that
 * owns everything, and the hash-chained audit log. Roles are cluster-wide in PostgreSQL, so their
 * creation tolerates another database on the same server having made them first.
 */

const ZONE_ROLES = ['restricted', 'deidentified', 'aggregate', 'synthetic', 'audit', 'catalog'];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const role of ['owner', ...ZONE_ROLES]) {
    await sql.raw(`
      do $$ begin
        create role airlock_${role} nologin nosuperuser nocreatedb nocreaterole noinherit;
      exception when duplicate_object or unique_violation then null;
      end $$`).execute(db);
  }
  // The connecting user must be able to SET ROLE to each; a superuser already can.
  await sql.raw(`
    do $$ declare r text; begin
      if not (select rolsuper from pg_roles where rolname = current_user) then
        foreach r in array array['airlock_owner','airlock_restricted','airlock_deidentified',
          'airlock_aggregate','airlock_synthetic','airlock_audit','airlock_catalog'] loop
          execute format('grant %I to %I', r, current_user);
        end loop;
      end if;
      execute format('grant create, connect on database %I to airlock_owner', current_database());
    end $$`).execute(db);

  for (const schema of ['restricted', 'deidentified', 'synthetic', 'audit', 'catalog']) {
    await sql.raw(`create schema ${schema} authorization airlock_owner`).execute(db);
  }
  // Each zone role uses its own schema only. Tables the owner creates later inherit the grants.
  for (const zone of ['restricted', 'deidentified', 'synthetic', 'catalog']) {
    await sql.raw(`grant usage on schema ${zone} to airlock_${zone}`).execute(db);
    await sql.raw(`alter default privileges for role airlock_owner in schema ${zone}
      grant select, insert, update, delete on tables to airlock_${zone}`).execute(db);
    await sql.raw(`alter default privileges for role airlock_owner in schema ${zone}
      grant usage, select on sequences to airlock_${zone}`).execute(db);
  }
  // The aggregate role sees restricted tables only through column grants made per dataset.
  await sql.raw(`grant usage on schema restricted to airlock_aggregate`).execute(db);
  await sql.raw(`grant usage on schema audit to airlock_audit`).execute(db);

  await sql.raw(`set local role airlock_owner`).execute(db);
  await sql.raw(`
    create table audit.event_types (
      event_type text primary key,
      description text not null
    );
    create table audit.events (
      seq bigint primary key check (seq >= 1),
      at timestamptz not null,
      event_type text not null references audit.event_types (event_type),
      actor text not null,
      roles text[] not null,
      action text not null,
      dataset text,
      zone text,
      outcome text not null check (outcome in ('allowed', 'denied', 'error')),
      details jsonb not null,
      prev_hash text not null unique,
      hash text not null unique
    );
    comment on table audit.events is
      'Append-only, hash-chained. prev_hash is unique, so the chain cannot fork even if a writer skips the lock.';
    create index events_at on audit.events (at);
    create index events_dataset on audit.events (dataset, at);

    create function audit.refuse_change() returns trigger language plpgsql as $fn$
    begin
      raise exception 'audit.events is append-only: % is refused', tg_op
        using errcode = 'insufficient_privilege';
    end $fn$;
    create trigger events_no_update_delete before update or delete on audit.events
      for each row execute function audit.refuse_change();
    create trigger events_no_truncate before truncate on audit.events
      for each statement execute function audit.refuse_change();

    grant select on audit.event_types to airlock_audit;
    grant select, insert on audit.events to airlock_audit;

    create table catalog.policies (
      id bigint generated always as identity primary key,
      name text not null,
      kind text not null check (kind in ('dataset', 'roles')),
      version integer not null,
      sha256 text not null,
      source_path text not null,
      content text not null,
      model jsonb not null,
      applied_at timestamptz not null default now(),
      applied_by text not null,
      unique (name, version)
    );
    create table catalog.policy_heads (
      name text primary key,
      kind text not null,
      version integer not null,
      sha256 text not null
    );
  `).execute(db);

  const types: Array<[string, string]> = [
    ['db.migrate', 'database migrations ran'],
    ['policy.apply', 'a policy version was stored'],
    ['query', 'a GraphQL operation on the gateway'],
    ['ingest', 'a CSV ingest run'],
    ['rebuild', 'the deidentified zone of a dataset was re-derived'],
    ['detokenize', 'a token was reversed to its value'],
    ['keys.rotate', 'a token key version was added'],
    ['synth.release', 'a synthetic release was published or refused'],
    ['train.request', 'a training job was requested'],
    ['train.start', 'a trainer started a job'],
    ['train.end', 'a training job ended'],
    ['model.promote', 'a model version got an alias'],
    ['model.predict', 'predictions were served'],
    ['audit.verify', 'the audit chain was verified'],
  ];
  for (const [type, description] of types) {
    await sql`insert into audit.event_types (event_type, description) values (${type}, ${description})`.execute(db);
  }
  // Kysely records the migration in the same transaction, as the connecting user.
  await sql.raw(`reset role`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const schema of ['catalog', 'audit', 'synthetic', 'deidentified', 'restricted']) {
    await sql.raw(`drop schema if exists ${schema} cascade`).execute(db);
  }
}
