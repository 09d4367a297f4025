import type { Logger, PolicyVersions } from '@airlock/core';
import type { AirlockDatabase } from '@airlock/db';
import type { BackendName, BackendReport } from '@airlock/ml';
import { JobsRepository, openJobQueue, RegistryRepository, type TrainingQueue } from '@airlock/models';
import type { PolicySet } from '@airlock/policy';
import { runAnalysis } from './analysis.ts';
import { checkTrainerHealth, trainerSignals, type TrainerHealth } from './health.ts';
import { DEFAULT_MAX_MEMORY_MB, runTrainingJob } from './run-job.ts';
import { runInWorker } from './worker/run-in-worker.ts';

export interface TrainerOptions {
  database: AirlockDatabase;
  policies: () => Promise<{ set: PolicySet; versions: PolicyVersions }>;
  /** `AIRLOCK_TRAINER_CONCURRENCY` (default 1): jobs this process runs at once. */
  concurrency?: number;
  /** Longest one job may train, in ms (default 30 min); see `runTrainingJob`. */
  maxJobMs?: number | undefined;
  /** Heap limit of each job's worker thread, in MB (default 2048); see `runTrainingJob`. */
  maxMemoryMb?: number | undefined;
  /** `AIRLOCK_TF_BACKEND`: the TensorFlow.js backend to train on; unset = the fastest that loads. */
  backend?: BackendName | undefined;
  logger: Logger;
}

/** A running trainer: a queue client (it enqueues like a gateway's) that also takes the work. */
export interface Trainer extends TrainingQueue {
  /** The TensorFlow.js backend a training worker uses, and what was tried (probed at start, in a worker thread). */
  backend: BackendReport;
  /** Whether it works now: not stopping, and its job queue answers (see `checkTrainerHealth`). */
  health(): Promise<TrainerHealth>;
  stop(): Promise<void>;
}

/**
 * The training service: takes training jobs and analyses from the queue and runs each in a worker
 * thread with its own memory limit, so this process's event loop (in the embedded runtime, the
 * gateway's) keeps serving. TensorFlow.js is loaded only in those workers, never in this thread.
 * Several trainer processes can share one queue; each fetch locks its job (SKIP LOCKED).
 */
export async function startTrainer(options: TrainerOptions): Promise<Trainer> {
  const maxMemoryMb = options.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB;
  // Fail at start, not at the first job, when no backend loads; and say which one trains.
  const backend = await runInWorker({ kind: 'probe', backend: options.backend }, { maxMemoryMb });
  const jobs = new JobsRepository(options.database);
  const registry = new RegistryRepository(options.database);
  const queue = await openJobQueue({ database: options.database, logger: options.logger });
  const context = {
    database: options.database,
    jobs,
    registry,
    policies: options.policies,
    logger: options.logger,
    maxJobMs: options.maxJobMs,
    maxMemoryMb,
    backend: options.backend,
  };
  await queue.workTraining(options.concurrency ?? 1, (jobId) => runTrainingJob(context, jobId));
  await queue.workAnalyses((request) => runAnalysis(context, request));
  let stopping = false;
  const signals = trainerSignals(options.database, () => stopping);
  return {
    backend,
    enqueue: (jobId) => queue.enqueue(jobId),
    analyze: (request, timeoutMs) => queue.analyze(request, timeoutMs),
    health: () => checkTrainerHealth(signals),
    stop: () => {
      stopping = true;
      return queue.stop();
    },
  };
}
