import { sql, type Kysely } from 'kysely';

/*
 * What ingest needs beside the per-dataset tables (which are made from each policy):
 * the token vault and rejected rows in `restricted` (both hold raw values), and the record of
 * loaded sources and of each dataset's derivation in `catalog`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`set local role airlock_owner`).execute(db);
  await sql
    .raw(
      `
    create table restricted.vault (
      domain text not null,
      kind text not null check (kind in ('token', 'surrogate')),
      -- token: the token itself; surrogate: the keyed token of the value, to find its surrogate
      lookup text not null,
      -- what the deidentified zone shows (the token, or the surrogate)
      public_value text not null,
      key_version integer not null,
      -- the original value, AES-256-GCM under the vault key; never stored in clear
      sealed text not null,
      created_at timestamptz not null default now(),
      primary key (domain, kind, lookup)
    );
    create unique index vault_public on restricted.vault (domain, public_value, key_version);

    create table catalog.ingest_sources (
      id bigint generated always as identity primary key,
      dataset text not null,
      sha256 text not null,
      file_name text not null,
      bytes bigint not null,
      records integer,
      loaded integer not null default 0,
      rejected integer not null default 0,
      first_started_at timestamptz not null default now(),
      completed_at timestamptz,
      unique (dataset, sha256)
    );

    create table restricted.ingest_rejects (
      source_id bigint not null,
      record integer not null,
      line integer not null,
      column_name text,
      reason text not null,
      raw text not null,
      primary key (source_id, record)
    );

    create table catalog.datasets (
      name text primary key,
      policy_version integer not null,
      policy_sha256 text not null,
      key_version integer not null,
      columns jsonb not null,
      updated_at timestamptz not null default now()
    );
  `,
    )
    .execute(db);
  await sql.raw(`reset role`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`drop table if exists restricted.vault, restricted.ingest_rejects, catalog.ingest_sources, catalog.datasets`).execute(db);
}
