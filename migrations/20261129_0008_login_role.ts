import { sql, type Kysely } from 'kysely';

/*
 * The application's own login role, and table changes as named operations.
 *
 * `airlock_app` is what the application pool logs in as (the "authenticator"): it can log in,
 * is not a superuser, owns nothing, has no privileges of its own and inherits none (NOINHERIT).
 * It is a member of the zone roles and of `airlock_jobs` only, so a connection can do nothing
 * until it SETs one of those roles, and `RESET ROLE` or `SET ROLE postgres` inside a zone
 * transaction leaves a session that reads nothing. Migrations keep running as the owner
 * connection (the connecting superuser, or a member of `airlock_owner` with CREATEROLE).
 *
 * `airlock_jobs` owns the job queue's schema (pg-boss) and nothing else; it may create schemas,
 * because the queue installs and upgrades its own.
 *
 * The application still creates and drops dataset tables (a policy names them), which only the
 * owner may do. Instead of a role switch to the owner, each such change is a SECURITY DEFINER
 * function owned by `airlock_owner` with a narrow signature (identifiers quoted, column types
 * from a closed list): create a dataset's tables, add the content column, replace the
 * deidentified table and its aggregate column grants, drop a dataset's tables, replace the
 * synthetic table. `airlock_restricted` (the data owner's zone) may call the dataset ones,
 * `airlock_synthetic` the synthetic one; they run in the caller's transaction, so a failed
 * rebuild still leaves the old tables in place.
 */

const MEMBER_OF = ['restricted', 'deidentified', 'aggregate', 'synthetic', 'audit', 'catalog', 'ledger', 'jobs'];

export async function up(db: Kysely<unknown>): Promise<void> {
  // Roles are cluster-wide: another database on the server may have made them first.
  await sql.raw(`
    do $$ begin
      create role airlock_app login nosuperuser nocreatedb nocreaterole noinherit nobypassrls;
    exception when duplicate_object or unique_violation then null;
    end $$`).execute(db);
  await sql.raw(`
    do $$ begin
      create role airlock_jobs nologin nosuperuser nocreatedb nocreaterole noinherit nobypassrls;
    exception when duplicate_object or unique_violation then null;
    end $$`).execute(db);
  // A role of that name made by someone else must still be what it says.
  await sql.raw(`
    do $$ begin
      if exists (select 1 from pg_roles where rolname = 'airlock_app'
                 and (rolsuper or rolinherit or rolcreaterole or rolcreatedb or rolbypassrls or not rolcanlogin)) then
        alter role airlock_app login nosuperuser nocreatedb nocreaterole noinherit nobypassrls;
      end if;
    end $$`).execute(db);
  await sql.raw(`
    do $$ declare r text; begin
      -- A non-superuser owner connection needs to be able to SET ROLE airlock_jobs too.
      if not (select rolsuper from pg_roles where rolname = current_user)
         and not pg_has_role(current_user, 'airlock_jobs', 'member') then
        execute format('grant airlock_jobs to %I', current_user);
      end if;
      foreach r in array array[${MEMBER_OF.map((role) => `'airlock_${role}'`).join(', ')}] loop
        if not exists (select 1 from pg_auth_members m join pg_roles g on g.oid = m.roleid join pg_roles u on u.oid = m.member
                        where g.rolname = r and u.rolname = 'airlock_app') then
          begin
            execute format('grant %I to airlock_app', r);
          exception when unique_violation or duplicate_object then null;
          end;
        end if;
      end loop;
      execute format('grant create on database %I to airlock_jobs', current_database());
    end $$`).execute(db);

  // A queue installed before this migration (by the connecting superuser) moves to airlock_jobs.
  await sql.raw(`
    do $$ declare r record; begin
      if exists (select 1 from pg_namespace where nspname = 'pgboss') then
        alter schema pgboss owner to airlock_jobs;
        for r in select c.oid::regclass::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  where n.nspname = 'pgboss' and c.relkind in ('r', 'p', 'v', 'S') loop
          execute format('alter table %s owner to airlock_jobs', r.name);
        end loop;
        for r in select p.oid::regprocedure::text as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                  where n.nspname = 'pgboss' loop
          execute format('alter function %s owner to airlock_jobs', r.name);
        end loop;
        for r in select t.oid::regtype::text as name from pg_type t join pg_namespace n on n.oid = t.typnamespace
                  where n.nspname = 'pgboss' and t.typtype = 'e' loop
          execute format('alter type %s owner to airlock_jobs', r.name);
        end loop;
      end if;
    end $$`).execute(db);

  await sql.raw(`set local role airlock_owner`).execute(db);
  await sql.raw(`
    -- "name" type [not null], ... from [{"name", "type", "notNull"}]; types from a closed list.
    create function restricted.column_definitions(columns jsonb) returns text
      language plpgsql immutable set search_path = pg_catalog, pg_temp as $fn$
    declare c jsonb; parts text[] := '{}';
    begin
      if jsonb_typeof(columns) <> 'array' then
        raise exception 'columns must be a JSON array' using errcode = 'invalid_parameter_value';
      end if;
      for c in select * from jsonb_array_elements(columns) loop
        if not (c->>'type' = any (array['text', 'bigint', 'integer', 'double precision', 'boolean', 'date', 'timestamptz'])) then
          raise exception 'column type % is not one a dataset table may have', c->>'type' using errcode = 'invalid_parameter_value';
        end if;
        if coalesce(c->>'name', '') = '' then
          raise exception 'a column has no name' using errcode = 'invalid_parameter_value';
        end if;
        parts := parts || (format('%I ', c->>'name') || (c->>'type') || case when (c->>'notNull')::boolean then ' not null' else '' end);
      end loop;
      return array_to_string(parts, ', ');
    end $fn$;

    create function restricted.grant_aggregate_columns(dataset text, aggregate_columns text[]) returns void
      language plpgsql set search_path = pg_catalog, pg_temp as $fn$
    begin
      -- Revoking the table privilege revokes its column privileges too.
      execute format('revoke select on restricted.%I from airlock_aggregate', dataset);
      if aggregate_columns is not null and cardinality(aggregate_columns) > 0 then
        execute format('grant select (%s) on restricted.%I to airlock_aggregate',
          (select string_agg(format('%I', c), ', ') from unnest(aggregate_columns) as c), dataset);
      end if;
    end $fn$;

    create function restricted.create_deidentified_table(dataset text, deid_columns jsonb) returns void
      language plpgsql set search_path = pg_catalog, pg_temp as $fn$
    declare cols text := restricted.column_definitions(deid_columns);
    begin
      execute format('create table deidentified.%I (_row_id uuid primary key, _subject text not null%s)',
        dataset, case when cols = '' then '' else ', ' || cols end);
    end $fn$;

    create function restricted.create_dataset_tables(dataset text, raw_columns jsonb, deid_columns jsonb, aggregate_columns text[])
      returns void language plpgsql security definer set search_path = pg_catalog, pg_temp as $fn$
    declare cols text := restricted.column_definitions(raw_columns);
    begin
      if cols = '' then
        raise exception 'dataset % has no columns', dataset using errcode = 'invalid_parameter_value';
      end if;
      execute format('create table restricted.%I (_row_id uuid primary key, _subject text not null, _source_id bigint not null,
        _record integer not null, _content text, %s, unique (_source_id, _record))', dataset, cols);
      execute format('create index if not exists %I on restricted.%I (_content)', dataset || '_content', dataset);
      perform restricted.create_deidentified_table(dataset, deid_columns);
      perform restricted.grant_aggregate_columns(dataset, aggregate_columns);
    end $fn$;

    -- Tables made before loads were idempotent by content get the column and its index.
    create function restricted.add_content_column(dataset text) returns void
      language plpgsql security definer set search_path = pg_catalog, pg_temp as $fn$
    begin
      execute format('alter table restricted.%I add column if not exists _content text', dataset);
      execute format('create index if not exists %I on restricted.%I (_content)', dataset || '_content', dataset);
    end $fn$;

    create function restricted.replace_deidentified_table(dataset text, deid_columns jsonb, aggregate_columns text[])
      returns void language plpgsql security definer set search_path = pg_catalog, pg_temp as $fn$
    begin
      execute format('drop table if exists deidentified.%I', dataset);
      perform restricted.create_deidentified_table(dataset, deid_columns);
      perform restricted.grant_aggregate_columns(dataset, aggregate_columns);
    end $fn$;

    create function restricted.drop_dataset_tables(dataset text) returns void
      language plpgsql security definer set search_path = pg_catalog, pg_temp as $fn$
    begin
      execute format('drop table if exists restricted.%I', dataset);
      execute format('drop table if exists deidentified.%I', dataset);
      execute format('drop table if exists synthetic.%I', dataset);
    end $fn$;

    create function synthetic.replace_synthetic_table(dataset text, columns jsonb) returns void
      language plpgsql security definer set search_path = pg_catalog, pg_temp as $fn$
    declare cols text := restricted.column_definitions(columns);
    begin
      execute format('drop table if exists synthetic.%I', dataset);
      execute format('create table synthetic.%I (_row_id uuid primary key, _release_id bigint not null%s)',
        dataset, case when cols = '' then '' else ', ' || cols end);
    end $fn$;

    revoke execute on all functions in schema restricted from public;
    revoke execute on all functions in schema synthetic from public;
    grant execute on function restricted.create_dataset_tables(text, jsonb, jsonb, text[]),
      restricted.add_content_column(text),
      restricted.replace_deidentified_table(text, jsonb, text[]),
      restricted.drop_dataset_tables(text) to airlock_restricted;
    grant execute on function synthetic.replace_synthetic_table(text, jsonb) to airlock_synthetic;
  `).execute(db);
  await sql.raw(`reset role`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    drop function if exists synthetic.replace_synthetic_table(text, jsonb);
    drop function if exists restricted.drop_dataset_tables(text);
    drop function if exists restricted.replace_deidentified_table(text, jsonb, text[]);
    drop function if exists restricted.add_content_column(text);
    drop function if exists restricted.create_dataset_tables(text, jsonb, jsonb, text[]);
    drop function if exists restricted.create_deidentified_table(text, jsonb);
    drop function if exists restricted.grant_aggregate_columns(text, text[]);
    drop function if exists restricted.column_definitions(jsonb);
  `).execute(db);
}
