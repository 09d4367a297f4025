import { Worker } from 'node:worker_threads';
import { AirlockError, ERROR_CODES, type ErrorCode } from '@airlock/core';
import type { EpochProgress } from '@airlock/ml';
import type { WorkerResults, WorkerTask } from './tasks.ts';

/** What a worker thread sends its parent. */
export type WorkerMessage =
  | { type: 'epoch'; progress: EpochProgress }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: { code?: ErrorCode; message: string } };

export interface RunInWorkerOptions {
  /**
   * Heap limit of the worker thread, in MB (`resourceLimits.maxOldGenerationSizeMb`;
   * `AIRLOCK_TRAINER_MAX_MEMORY_MB`). A task that needs more is stopped, and rejects with a
   * BAD_REQUEST that says so; the process that started it is not affected.
   */
  maxMemoryMb: number;
  /** Aborting terminates the worker at once; the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  onEpoch?: ((progress: EpochProgress) => void) | undefined;
}

const BOOTSTRAP = new URL('./bootstrap.mjs', import.meta.url);

/**
 * Run one task in a fresh worker thread, so that training and analyses never hold the event loop
 * of the process that serves requests (in the embedded runtime, the gateway's), and a task's
 * memory is bounded and returned when it ends. Errors: an AirlockError raised in the worker keeps
 * its code and message; the memory limit is a BAD_REQUEST naming it; anything else is an
 * Error with the worker's message (for the log).
 */
export function runInWorker<K extends WorkerTask['kind']>(task: Extract<WorkerTask, { kind: K }>, options: RunInWorkerOptions): Promise<WorkerResults[K]> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(options.signal.reason);
      return;
    }
    const worker = new Worker(BOOTSTRAP, {
      workerData: { task },
      resourceLimits: { maxOldGenerationSizeMb: options.maxMemoryMb },
    });
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      outcome();
      void worker.terminate();
    };
    const onAbort = (): void => settle(() => reject(options.signal!.reason));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'epoch':
          options.onEpoch?.(message.progress);
          break;
        case 'done':
          settle(() => resolve(message.result as WorkerResults[K]));
          break;
        case 'failed': {
          const { code, message: text } = message.error;
          settle(() => reject(code !== undefined && code in ERROR_CODES ? new AirlockError(code, text) : new Error(`${task.kind} worker failed: ${text}`)));
          break;
        }
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        settle(() =>
          reject(
            new AirlockError(
              'BAD_REQUEST',
              `The job ran out of its memory limit of ${options.maxMemoryMb} MB (AIRLOCK_TRAINER_MAX_MEMORY_MB) and was stopped; ask for fewer rows, features or hidden units.`,
              { cause: error },
            ),
          ),
        );
        return;
      }
      settle(() => reject(error));
    });
    worker.on('exit', (exitCode) => settle(() => reject(new Error(`${task.kind} worker exited with code ${exitCode} before answering`))));
  });
}
