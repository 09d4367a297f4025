import { sql, type Kysely } from 'kysely';

/*
 * Training jobs and the model registry. Job state, model versions, cards and aliases are catalog
 * data. A model's artifact (weights, fitted encoder, and a drift sample of the zone's values)
 * lives in the schema of the zone it was trained on, so reading it takes that zone's role, as
 * reading the zone itself does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`set local role airlock_owner`).execute(db);
  await sql
    .raw(
      `
    create table catalog.training_jobs (
      id uuid primary key,
      dataset text not null,
      zone text not null,
      request jsonb not null,
      state text not null check (state in ('queued', 'running', 'succeeded', 'failed', 'refused')),
      progress jsonb not null default '{}',
      error text,
      model_id bigint,
      requested_by text not null,
      roles text[] not null,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz
    );
    create index training_jobs_state on catalog.training_jobs (state, created_at);

    create table catalog.models (
      id bigint generated always as identity primary key,
      name text not null,
      version integer not null,
      dataset text not null,
      zone text not null check (zone in ('deidentified', 'synthetic', 'restricted')),
      kind text not null,
      target text not null,
      features jsonb not null,
      metrics jsonb not null,
      card jsonb not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      unique (name, version)
    );

    create table catalog.model_aliases (
      name text not null,
      alias text not null,
      model_id bigint not null references catalog.models (id),
      updated_at timestamptz not null default now(),
      primary key (name, alias)
    );
  `,
    )
    .execute(db);
  for (const zone of ['restricted', 'deidentified', 'synthetic']) {
    await sql.raw(`create table ${zone}.model_artifacts (model_id bigint primary key, artifact jsonb not null)`).execute(db);
  }
  await sql.raw(`reset role`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`drop table if exists catalog.model_aliases, catalog.models, catalog.training_jobs, restricted.model_artifacts, deidentified.model_artifacts, synthetic.model_artifacts`).execute(db);
}
