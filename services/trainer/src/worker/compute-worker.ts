import { parentPort, workerData } from 'node:worker_threads';
import { isAirlockError } from '@airlock/core';
import { runTask, type WorkerTask } from './tasks.ts';
import type { WorkerMessage } from './run-in-worker.ts';

// Inside the worker thread: run the one task it was started for, report progress and the result
// (or the error: an AirlockError's code and message, which the caller may show; anything else as text
// for the log), and end.
const port = parentPort;
if (!port) throw new Error('compute-worker.ts runs only as a worker thread (see run-in-worker.ts).');
const send = (message: WorkerMessage): void => port.postMessage(message);
try {
  const result = await runTask((workerData as { task: WorkerTask }).task, (progress) => send({ type: 'epoch', progress }));
  send({ type: 'done', result });
} catch (error) {
  send({
    type: 'failed',
    error: isAirlockError(error) ? { code: error.code, message: error.message } : { message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
  });
}
