import type { AirlockDatabase } from '@airlock/db';

/** What a trainer's health check found: the reason is for its log, not for the caller. */
export type TrainerHealth = { kind: 'healthy' } | { kind: 'unhealthy'; reason: string };

/** How long the health check waits for the job queue's database, in ms. */
export const HEALTH_PROBE_TIMEOUT_MS = 5000;

/** What the health check looks at. */
export interface HealthSignals {
  /** The trainer was told to stop: it takes no more jobs. */
  stopped(): boolean;
  /** One round trip to the job queue's tables, through the door the queue's workers use. */
  queueAnswers(): Promise<unknown>;
}

/**
 * Whether a trainer is working: not stopping, and its job queue answers within `timeoutMs`. A
 * trainer whose database is gone, whose login was revoked or whose queue schema is missing cannot
 * fetch a job, so it is unhealthy; one whose event loop is stuck does not answer at all.
 */
export async function checkTrainerHealth(signals: HealthSignals, timeoutMs = HEALTH_PROBE_TIMEOUT_MS): Promise<TrainerHealth> {
  if (signals.stopped()) return { kind: 'unhealthy', reason: 'the trainer is stopping and takes no more jobs' };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([signals.queueAnswers(), timeout]);
    return { kind: 'healthy' };
  } catch (error) {
    return { kind: 'unhealthy', reason: `the job queue does not answer: ${(error as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The signals of a trainer on `database`: the probe reads the queue's own version table as
 * `airlock_jobs` (`queueSql`), as every job fetch does.
 */
export function trainerSignals(database: Pick<AirlockDatabase, 'queueSql'>, stopped: () => boolean): HealthSignals {
  return { stopped, queueAnswers: () => database.queueSql('select version from pgboss.version') };
}
