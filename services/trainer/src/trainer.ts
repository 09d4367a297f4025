import type { Logger, PolicyVersions } from '@airlock/core';
import type { AirlockDatabase } from '@airlock/db';
import { initBackend, type BackendReport } from '@airlock/ml';
import type { PolicySet } from '@airlock/policy';
import type PgBoss from 'pg-boss';
import { JobsRepository } from './jobs.repository.ts';
import { createQueue, TRAINING_QUEUE } from './queue.ts';
import { RegistryRepository } from './registry.repository.ts';
import { runTrainingJob } from './run-job.ts';

export interface TrainerOptions {
  database: AirlockDatabase;
  /** PostgreSQL URL for the queue in server mode; absent on the embedded database. */
  databaseUrl?: string | undefined;
  policies: () => Promise<{ set: PolicySet; versions: PolicyVersions }>;
  /** `AIRLOCK_TRAINER_CONCURRENCY` (default 1): jobs this process runs at once. */
  concurrency?: number;
  /** Longest one job may train, in ms (default 30 min); see `runTrainingJob`. */
  maxJobMs?: number | undefined;
  logger: Logger;
  /** Also take jobs (default true). A gateway-only process only enqueues. */
  work?: boolean;
}

export interface Trainer {
  /** The TensorFlow.js backend in use, and what was tried. */
  backend: BackendReport;
  jobs: JobsRepository;
  registry: RegistryRepository;
  /** Put a job (already stored in catalog.training_jobs) on the queue. */
  enqueue(jobId: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The training service: a pg-boss worker that takes job ids from the queue and runs them. Several
 * trainer processes can share one queue; each fetch locks its job (SKIP LOCKED).
 */
export async function startTrainer(options: TrainerOptions): Promise<Trainer> {
  const backend = await initBackend();
  const jobs = new JobsRepository(options.database);
  const registry = new RegistryRepository(options.database);
  const boss: PgBoss = createQueue(options.database, options.databaseUrl);
  boss.on('error', (error) => options.logger.error({ err: error }, 'training queue error'));
  await boss.start();
  await boss.createQueue(TRAINING_QUEUE);
  if (options.work ?? true) {
    const context = { database: options.database, jobs, registry, policies: options.policies, logger: options.logger, maxJobMs: options.maxJobMs };
    // One pg-boss worker per concurrent job: each fetches one job at a time.
    for (let i = 0; i < Math.max(1, options.concurrency ?? 1); i++) {
      await boss.work<{ jobId: string }>(TRAINING_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
        if (job) await runTrainingJob(context, job.data.jobId);
      });
    }
  }
  return {
    backend,
    jobs,
    registry,
    async enqueue(jobId) {
      await boss.send(TRAINING_QUEUE, { jobId }, { retryLimit: 0, expireInSeconds: 3600 });
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 8000 });
    },
  };
}
