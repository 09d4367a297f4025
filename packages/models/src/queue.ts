import PgBoss from 'pg-boss';
import type { AirlockDatabase } from '@airlock/db';

export const TRAINING_QUEUE = 'airlock-training';

/**
 * The PostgreSQL-backed job queue (pg-boss). On a PostgreSQL server it has its own small pool;
 * on the embedded database it runs its SQL through Airlock's handle, which queues it on the one
 * PGlite connection — pg-boss accepts such an adapter (`db.executeSql`), so both modes use the
 * same queue tables, SKIP LOCKED fetches and retries.
 */
export function createQueue(database: AirlockDatabase, databaseUrl: string | undefined): PgBoss {
  const common = { schema: 'pgboss', schedule: false, supervise: true, migrate: true } as const;
  if (databaseUrl) return new PgBoss({ ...common, connectionString: databaseUrl, max: 3 });
  return new PgBoss({
    ...common,
    db: {
      executeSql: (text: string, values: unknown[]) => database.queueSql(text, values),
    },
  });
}
