import { afterEach, describe, expect, it } from 'vitest';
import { isAirlockError } from '@airlock/core';
import { currentBackend, initBackend, loadTf } from './backend.ts';

const ENV = 'AIRLOCK_TF_BACKEND';

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
  afterEach(() => {
    delete process.env[ENV];
  });

  it('falls back past an absent tfjs-node to wasm (or cpu), says why, and is idempotent', async () => {
    delete process.env[ENV];
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

  it('reads AIRLOCK_TF_BACKEND when no backend is named, and refuses unknown values', async () => {
    process.env[ENV] = 'wasm';
    expect((await initBackend()).backend).toBe('wasm');
    process.env[ENV] = 'cpu';
    expect((await initBackend()).backend).toBe('cpu');
    expect((await initBackend('wasm')).backend).toBe('wasm'); // the argument wins

    process.env[ENV] = 'gpu';
    await expect(initBackend()).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('AIRLOCK_TF_BACKEND is "gpu"') });
    await expect(initBackend('gpu' as never)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(currentBackend()).toBe('wasm');
  });
});
