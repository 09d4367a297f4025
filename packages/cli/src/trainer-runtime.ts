import { loadPolicySet } from '@airlock/catalog';
import { AirlockError, type Logger } from '@airlock/core';
import { startTrainer, type Trainer } from '@airlock/trainer';
import type { Runtime } from './runtime.ts';

/** `AIRLOCK_TRAINER_CONCURRENCY` (default 1): training jobs this process runs at once. */
export function trainerConcurrency(): number {
  const raw = process.env['AIRLOCK_TRAINER_CONCURRENCY'];
  const n = raw ? Number(raw) : 1;
  if (!Number.isInteger(n) || n < 1 || n > 32) throw new AirlockError('CONFIG_INVALID', `AIRLOCK_TRAINER_CONCURRENCY="${raw}" must be an integer from 1 to 32.`);
  return n;
}

/** `AIRLOCK_TRAINER_MAX_JOB_MS` (default 1800000, 30 min): longest one training job may run. */
export function trainerMaxJobMs(): number {
  const raw = process.env['AIRLOCK_TRAINER_MAX_JOB_MS'];
  const n = raw ? Number(raw) : 30 * 60_000;
  if (!Number.isInteger(n) || n < 1000 || n > 3_000_000) throw new AirlockError('CONFIG_INVALID', `AIRLOCK_TRAINER_MAX_JOB_MS="${raw}" must be an integer from 1000 to 3000000 (50 min, under the queue's one-hour expiry).`);
  return n;
}

/** The training service on the runtime's database; `work: false` only enqueues. */
export function startRuntimeTrainer(runtime: Runtime, logger: Logger, work: boolean): Promise<Trainer> {
  return startTrainer({
    // No databaseUrl: the queue runs through the database's own queue door (as airlock_jobs) on
    // PostgreSQL too, never on the owner's connection string.
    database: runtime.database,
    policies: () => loadPolicySet(runtime.database),
    concurrency: trainerConcurrency(),
    maxJobMs: trainerMaxJobMs(),
    logger,
    work,
  });
}
