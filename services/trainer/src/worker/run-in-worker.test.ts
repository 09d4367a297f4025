import { describe, expect, it } from 'vitest';
import { currentBackend, type Row } from '@airlock/ml';
import { runInWorker } from './run-in-worker.ts';
import type { WorkerTask } from './tasks.ts';

function rows(n: number): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < n; i++) out.push({ x: (i * 7919) % 100, group: i % 3 === 0 ? 'a' : 'b', y: (i * 7919) % 100 > 50 });
  return out;
}

const trainTask = (data: Row[], epochs: number): Extract<WorkerTask, { kind: 'train' }> => ({
    kind: 'train',
    backend: 'cpu',
    rows: data,
    features: [
      { name: 'x', kind: 'numeric' },
      { name: 'group', kind: 'categorical' },
    ],
    target: { name: 'y', kind: 'binary', positive: true },
    modelKind: 'logistic_regression',
    hyperparameters: { epochs, patience: 0 },
    seed: 1,
    latencyRow: { x: 10, group: 'a' },
  });

describe('runInWorker', () => {
  it('trains in a worker thread and reports progress per epoch', async () => {
    const epochs: number[] = [];
    const result = await runInWorker(trainTask(rows(400), 3), { maxMemoryMb: 512, onEpoch: (p) => epochs.push(p.epoch) });
    expect(result.backend).toBe('cpu');
    expect(result.epochs).toBe(3);
    expect(epochs).toEqual([1, 2, 3]);
    expect(result.latency.p50).toBeGreaterThanOrEqual(0);
  });

  it('stops a task past its memory limit with a clear error, and this process carries on', async () => {
    // 80 MB of heap trains on 1,000 rows; 500,000 rows do not fit in it.
    expect((await runInWorker(trainTask(rows(1000), 1), { maxMemoryMb: 80 })).epochs).toBe(1);
    const error = await runInWorker(trainTask(rows(500_000), 1), { maxMemoryMb: 80 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/ran out of its memory limit of 80 MB \(AIRLOCK_TRAINER_MAX_MEMORY_MB\)/) });
    // The next task runs normally.
    expect((await runInWorker({ kind: 'probe', backend: 'cpu' }, { maxMemoryMb: 512 })).backend).toBe('cpu');
  }, 120_000);

  it('trains off this thread: TensorFlow.js is never loaded here, and this thread works meanwhile', async () => {
    const order: string[] = [];
    const job = runInWorker(trainTask(rows(3000), 40), { maxMemoryMb: 512 }).then(() => order.push('job'));
    // Work on this thread while the job trains: it completes first.
    await new Promise((r) => setImmediate(r)).then(() => order.push('this thread'));
    await job;
    expect(order).toEqual(['this thread', 'job']);
    // The TensorFlow.js engine of this thread was never started: the training happened elsewhere.
    expect(currentBackend()).toBeUndefined();
  });

  it('terminates the worker when aborted, with the abort reason', async () => {
    const stop = new AbortController();
    const job = runInWorker(trainTask(rows(3000), 1000), { maxMemoryMb: 512, onEpoch: (p) => p.epoch === 2 && stop.abort(new Error('stopped by the test')), signal: stop.signal });
    await expect(job).rejects.toThrow('stopped by the test');
  });
});
