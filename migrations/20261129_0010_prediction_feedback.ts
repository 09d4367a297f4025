import { sql, type Kysely } from 'kysely';

/*
 * Feedback on served models. Each prediction the gateway serves is logged with an id, in the
 * schema of the zone the model was trained on (like the model's artifact): its inputs are rows of
 * that zone, so they stay under that zone's role. Outcomes are posted later by prediction id;
 * live metrics (predictions against their outcomes) and drift on recent inputs are read back
 * under the same role. The zone role may insert predictions and set outcomes, nothing else.
 */
const ZONES = ['restricted', 'deidentified', 'synthetic'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`set local role airlock_owner`).execute(db);
  for (const zone of ZONES) {
    await sql.raw(`
      create table ${zone}.predictions (
        id uuid primary key,
        model_id bigint not null,
        requested_by text not null,
        created_at timestamptz not null default now(),
        inputs jsonb not null,
        output jsonb not null,
        outcome jsonb,
        outcome_by text,
        outcome_at timestamptz
      );
      create index ${zone}_predictions_model on ${zone}.predictions (model_id, created_at desc);
      grant select, insert on ${zone}.predictions to airlock_${zone};
      grant update (outcome, outcome_by, outcome_at) on ${zone}.predictions to airlock_${zone};
    `).execute(db);
  }
  await sql`insert into audit.event_types (event_type, description) values ('model.feedback', 'outcomes were posted for served predictions')`.execute(db);
  await sql.raw(`reset role`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`delete from audit.event_types where event_type = 'model.feedback'`).execute(db);
  for (const zone of ZONES) await sql.raw(`drop table if exists ${zone}.predictions`).execute(db);
}
