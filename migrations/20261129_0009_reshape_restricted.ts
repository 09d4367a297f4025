import { sql, type Kysely } from 'kysely';

/*
 * A policy change reaches loaded tables (`airlock policy apply`). The raw rows of the restricted
 * zone are never rewritten: a column the new policy adds is added empty (nullable), a column it no
 * longer names stays with its values (retired: no open zone shows it) and stops being required,
 * and a column the policy now requires is marked NOT NULL, which PostgreSQL refuses while a loaded
 * row is empty. One SECURITY DEFINER function owned by `airlock_owner`, like the other dataset
 * table operations of migration 0008, run in the caller's transaction so a refused or failed
 * apply leaves the tables as they were.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`set local role airlock_owner`).execute(db);
  await sql.raw(`
    create function restricted.reshape_restricted_table(dataset text, added jsonb, relax text[], require text[])
      returns void language plpgsql security definer set search_path = pg_catalog, pg_temp as $fn$
    declare c jsonb; col text;
    begin
      for c in select * from jsonb_array_elements(added) loop
        -- column_definitions checks the type against the closed list; added columns are nullable.
        execute format('alter table restricted.%I add column %s', dataset,
          restricted.column_definitions(jsonb_build_array(jsonb_build_object('name', c->>'name', 'type', c->>'type'))));
      end loop;
      foreach col in array coalesce(relax, '{}') loop
        execute format('alter table restricted.%I alter column %I drop not null', dataset, col);
      end loop;
      foreach col in array coalesce(require, '{}') loop
        execute format('alter table restricted.%I alter column %I set not null', dataset, col);
      end loop;
    end $fn$;
    revoke execute on function restricted.reshape_restricted_table(text, jsonb, text[], text[]) from public;
    grant execute on function restricted.reshape_restricted_table(text, jsonb, text[], text[]) to airlock_restricted;
  `).execute(db);
  await sql.raw(`reset role`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`drop function if exists restricted.reshape_restricted_table(text, jsonb, text[], text[])`).execute(db);
}
