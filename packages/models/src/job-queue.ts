import { setTimeout as sleep } from 'node:timers/promises';
import { AirlockError, ERROR_CODES, type Logger } from '@airlock/core';
import type { AirlockDatabase } from '@airlock/db';
import type PgBoss from 'pg-boss';
import type { AnalysisOutcome, AnalysisRequest, AnalysisResult } from './analysis.ts';
import { createQueue, TRAINING_QUEUE } from './queue.ts';

/** The queue of analyses (drift, comparisons) a gateway asks trainers for. */
export const ANALYSIS_QUEUE = 'airlock-analysis';

/**
 * What a gateway needs from the job queue: put a stored training job on it, and have a trainer
 * run an analysis and wait for the answer. The gateway never trains or analyses itself.
 */
export interface TrainingQueue {
  /** Put a job (already stored in catalog.training_jobs) on the queue. */
  enqueue(jobId: string): Promise<void>;
  /**
   * Queue an analysis for a trainer and wait for its answer, at most `timeoutMs`: past it the
   * queued analysis is cancelled and DATABASE_UNAVAILABLE says no trainer answered. Errors a
   * trainer reports (an AirlockError) come back with their code and message.
   */
  analyze(request: AnalysisRequest, timeoutMs: number): Promise<AnalysisResult>;
}

/** The queue with the trainer's side: take training jobs and analyses. */
export interface JobQueue extends TrainingQueue {
  /** Run training jobs, `concurrency` at a time; `run` must not throw (a job records its own failure). */
  workTraining(concurrency: number, run: (jobId: string) => Promise<void>): Promise<void>;
  /** Answer analyses one at a time. */
  workAnalyses(run: (request: AnalysisRequest) => Promise<AnalysisOutcome>): Promise<void>;
  /** Stop taking work; waits for running handlers (bounded). */
  stop(): Promise<void>;
}

export interface JobQueueOptions {
  database: AirlockDatabase;
  logger: Logger;
}

/**
 * Open the PostgreSQL-backed job queue (pg-boss, schema `pgboss`): several gateways and
 * trainers share it; each fetch locks its job (SKIP LOCKED).
 */
export async function openJobQueue(options: JobQueueOptions): Promise<JobQueue> {
  const boss: PgBoss = createQueue(options.database);
  boss.on('error', (error) => options.logger.error({ err: error }, 'job queue error'));
  await boss.start();
  await boss.createQueue(TRAINING_QUEUE);
  await boss.createQueue(ANALYSIS_QUEUE);
  return {
    async enqueue(jobId) {
      await boss.send(TRAINING_QUEUE, { jobId }, { retryLimit: 0, expireInSeconds: 3600 });
    },
    async analyze(request, timeoutMs) {
      const expireInSeconds = Math.ceil(timeoutMs / 1000) + 60;
      const id = await boss.send(ANALYSIS_QUEUE, request, { retryLimit: 0, expireInSeconds });
      if (id === null) throw new AirlockError('INTERNAL', 'The analysis could not be queued.');
      const deadline = Date.now() + timeoutMs;
      // Poll the job's state: quickly at first (an idle trainer answers within a second), then
      // every quarter second.
      for (let wait = 25; ; wait = Math.min(250, wait * 2)) {
        const job = await boss.getJobById<AnalysisRequest>(ANALYSIS_QUEUE, id);
        if (job?.state === 'completed') return resultOf(job.output as AnalysisOutcome);
        if (job === null || job.state === 'failed' || job.state === 'cancelled') {
          throw new AirlockError('INTERNAL', 'The analysis failed in the trainer; see its log.');
        }
        if (Date.now() >= deadline) {
          await boss.cancel(ANALYSIS_QUEUE, id).catch(() => undefined);
          throw new AirlockError(
            'DATABASE_UNAVAILABLE',
            `No trainer answered the ${request.kind} request within ${Math.round(timeoutMs / 1000)} s (AIRLOCK_ANALYSIS_TIMEOUT_MS): start one (\`airlock trainer\`), or try again when the queue is shorter.`,
          );
        }
        await sleep(wait);
      }
    },
    async workTraining(concurrency, run) {
      // One pg-boss worker per concurrent job: each fetches one job at a time.
      for (let i = 0; i < Math.max(1, concurrency); i++) {
        await boss.work<{ jobId: string }>(TRAINING_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
          if (job) await run(job.data.jobId);
        });
      }
    },
    async workAnalyses(run) {
      await boss.work<AnalysisRequest>(ANALYSIS_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
        // The outcome, errors included, is the job's output: the asking gateway reads it back.
        return job ? run(job.data) : undefined;
      });
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 8000 });
    },
  };
}

function resultOf(outcome: AnalysisOutcome | null | undefined): AnalysisResult {
  if (!outcome || typeof outcome !== 'object' || !('ok' in outcome)) throw new AirlockError('INTERNAL', 'The trainer answered the analysis with nothing.');
  if (outcome.ok) return outcome.result;
  throw new AirlockError(outcome.code in ERROR_CODES ? outcome.code : 'INTERNAL', outcome.message);
}
