import { sql, type Kysely } from 'kysely';

/*
 * Synthetic releases: every run is recorded with its reports and the gate's decision (published
 * or refused) in `catalog`; the fitted generator stays in `restricted` (it is a summary of the
 * real data, for stewards only). The released rows live in `synthetic.<dataset>`, made per policy.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`set local role airlock_owner`).execute(db);
  await sql
    .raw(
      `
    create table catalog.synth_releases (
      id bigint generated always as identity primary key,
      dataset text not null,
      created_at timestamptz not null default now(),
      actor text not null,
      policy_version integer not null,
      policy_sha256 text not null,
      seed text not null,
      rows integer not null,
      decision text not null check (decision in ('published', 'refused')),
      failures jsonb not null,
      reports jsonb not null,
      timings jsonb not null,
      generator_sha256 text not null
    );
    create index synth_releases_dataset on catalog.synth_releases (dataset, id desc);

    create table restricted.synth_generators (
      release_id bigint primary key,
      model jsonb not null
    );
  `,
    )
    .execute(db);
  await sql.raw(`reset role`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`drop table if exists catalog.synth_releases, restricted.synth_generators`).execute(db);
}
