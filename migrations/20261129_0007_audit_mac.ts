import { sql, type Kysely } from 'kysely';

/*
 * A keyed MAC on every audit event. The chain's sha256 alone can be recomputed by anyone who can
 * write the table; the MAC key lives outside the database (a file or the environment), so a
 * forged, edited or renumbered event no longer verifies. Events written before this migration
 * have no MAC and are reported as such by `airlock audit verify`. Also adds the `train.cancel`
 * event type.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`set local role airlock_owner`).execute(db);
  await sql.raw(`alter table audit.events add column mac text`).execute(db);
  await sql.raw(`comment on column audit.events.mac is
    'HMAC-SHA256 of hash under a key kept outside the database; null only on events written before audit MACs.'`).execute(db);
  // A new event of the closed vocabulary: a training job was cancelled.
  await sql`insert into audit.event_types (event_type, description) values ('train.cancel', 'a training job was cancelled')`.execute(db);
  await sql.raw(`reset role`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`delete from audit.event_types where event_type = 'train.cancel'`).execute(db);
  await sql.raw(`alter table audit.events drop column mac`).execute(db);
}
