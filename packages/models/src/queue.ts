import PgBoss from 'pg-boss';
import type { AirlockDatabase } from '@airlock/db';

export const TRAINING_QUEUE = 'airlock-training';

/**
 * The PostgreSQL-backed job queue (pg-boss). Its SQL goes through the database's queue door
 * (`queueSql`, as `airlock_jobs`, which owns only the `pgboss` schema) on both databases:
 * pg-boss accepts such an adapter (`db.executeSql`), so the queue never holds a connection of its
 * own, and never the owner's. Both modes use the same queue tables, SKIP LOCKED fetches and retries.
 */
export function createQueue(database: AirlockDatabase): PgBoss {
  return new PgBoss({
    schema: 'pgboss',
    schedule: false,
    supervise: true,
    migrate: true,
    db: {
      executeSql: (text: string, values: unknown[]) => database.queueSql(text, values),
    },
  });
}
