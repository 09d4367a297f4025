import { sql, type Kysely } from 'kysely';

/*
 * Re-identification risk reports: one per derivation of a deidentified zone (ingest, rebuild,
 * removal of a load), with the decision (published or refused), the headline figures for
 * listing, and the whole report (packages/risk RiskReport) as JSON. In `catalog`: the report
 * holds counts and levels, never a row. Also the audit event type for removing loads, and the
 * count of duplicate records per load (loads are idempotent by content).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`set local role airlock_owner`).execute(db);
  await sql
    .raw(
      `
    create table catalog.risk_reports (
      id bigint generated always as identity primary key,
      dataset text not null,
      created_at timestamptz not null default now(),
      reason text not null check (reason in ('ingest', 'rebuild', 'remove')),
      policy_version integer not null,
      policy_sha256 text not null,
      decision text not null check (decision in ('published', 'refused')),
      k integer not null,
      suppressed_share double precision not null,
      information_loss double precision,
      report jsonb not null
    );
    create index risk_reports_dataset on catalog.risk_reports (dataset, id desc);

    -- Records of a load already in the dataset from earlier loads (same normalized values).
    alter table catalog.ingest_sources add column duplicates integer not null default 0;
  `,
    )
    .execute(db);
  await sql`insert into audit.event_types (event_type, description) values ('ingest.remove', 'a load or a whole dataset removed, derived zones rebuilt') on conflict do nothing`.execute(db);
  await sql.raw(`reset role`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`drop table if exists catalog.risk_reports`).execute(db);
  await sql.raw(`alter table catalog.ingest_sources drop column if exists duplicates`).execute(db);
  await sql`delete from audit.event_types where event_type = 'ingest.remove'`.execute(db);
}
