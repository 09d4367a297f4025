import { describe, expect, it } from 'vitest';
import { isAirlockError } from '@airlock/core';
import { currentBackend, initBackend, loadTf } from './backend.ts';

async function tfjsNodeInstalled(): Promise<boolean> {
  const name = '@tensorflow/tfjs-node';
  try {
    await import(name);
    return true;
  } catch {
    return false;
  }
}

describe('initBackend', () => {
  it('falls back past an absent tfjs-node to wasm (or cpu), says why, and is idempotent', async () => {
    const listeners = process.listeners('unhandledRejection').length + process.listeners('uncaughtException').length;
    const report = await initBackend();
    if (await tfjsNodeInstalled()) {
      expect(report.backend).toBe('tensorflow');
    } else {
      expect(['wasm', 'cpu']).toContain(report.backend);
      expect(report.tried[0]).toEqual({ backend: 'tensorflow', error: '@tensorflow/tfjs-node is not installed (optional)' });
      expect(report.tried.at(-1)).toEqual({ backend: report.backend });
    }
    expect(currentBackend()).toBe(report.backend);
    expect(await initBackend()).toBe(report);
    // The wasm glue's process-wide rethrowing handlers were taken off again.
    expect(process.listeners('unhandledRejection').length + process.listeners('uncaughtException').length).toBe(listeners);
    const tf = await loadTf();
    expect(tf.getBackend()).toBe(report.backend);
  });

  it('forces cpu, and a failed forced switch keeps the working backend', async () => {
    const report = await initBackend('cpu');
    expect(report).toEqual({ backend: 'cpu', tried: [{ backend: 'cpu' }] });
    const tf = await loadTf();
    expect(tf.getBackend()).toBe('cpu');
    expect(Array.from(tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()))).toEqual([11]);

    if (!(await tfjsNodeInstalled())) {
      const error = await initBackend('tensorflow').catch((e: unknown) => e);
      expect(isAirlockError(error, 'INTERNAL')).toBe(true);
      expect((error as Error).message).toMatch(/tensorflow: @tensorflow\/tfjs-node is not installed/);
      expect(currentBackend()).toBe('cpu');
      expect(tf.getBackend()).toBe('cpu');
      expect(tf.tidy(() => tf.add(tf.scalar(2), tf.scalar(3)).dataSync()[0])).toBe(5);
    }
  });

  it('switches to a named backend, keeps it when none is named, and refuses unknown names', async () => {
    // AIRLOCK_TF_BACKEND is read and checked by @airlock/config (its test refuses "gpu"); the
    // trainer passes the configured name here.
    expect((await initBackend('wasm')).backend).toBe('wasm');
    expect((await initBackend('cpu')).backend).toBe('cpu');
    expect((await initBackend()).backend).toBe('cpu'); // none named: the active one
    expect((await initBackend('wasm')).backend).toBe('wasm');

    await expect(initBackend('gpu' as never)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(currentBackend()).toBe('wasm');
  });
});
