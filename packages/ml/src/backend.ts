import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AirlockError } from '@airlock/core';
import type * as Tf from '@tensorflow/tfjs';
import type { BackendName } from './types.ts';

/** The TensorFlow.js namespace; only this package's own modules see it. */
export type TfModule = typeof Tf;

/** What {@link initBackend} did: the backend now in use and every attempt, in order. */
export interface BackendReport {
  readonly backend: BackendName;
  /** Each backend tried, in order; `error` says why one did not load (absent for the one that did). */
  readonly tried: ReadonlyArray<{ readonly backend: BackendName; readonly error?: string }>;
}

/** Fastest first: native TensorFlow, then WebAssembly (XNNPACK), then plain JavaScript. */
const AUTO_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];
// Held in a variable so the TypeScript compiler does not try to resolve an optional package that
// is usually not installed (it needs native binaries that do not build everywhere).
const TFJS_NODE = '@tensorflow/tfjs-node';

let tfPromise: Promise<TfModule> | undefined;
let current: BackendReport | undefined;
// Backend switches are serialized: TensorFlow.js keeps one global engine per process.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Loads TensorFlow.js once, on first use, so that processes which only serve predictions (plain
 * JavaScript, see `loadModel`) never pay its start-up cost of about half a second.
 */
export function loadTf(): Promise<TfModule> {
  tfPromise ??= import('@tensorflow/tfjs').then((tf) => {
    // Production mode only silences TensorFlow.js's own console output (such as the banner that
    // suggests tfjs-node on the cpu backend): packages report through their return values.
    tf.enableProdMode();
    return tf;
  });
  return tfPromise;
}

/**
 * Chooses the TensorFlow.js backend for training, process-wide.
 *
 * - With no argument: tries `tensorflow` (`@tensorflow/tfjs-node`, an optional dependency; its
 *   absence is reported in `tried`, not thrown), then `wasm`, then `cpu`.
 * - With `preferred` (the trainer passes the configuration's `AIRLOCK_TF_BACKEND`): that backend
 *   only, no fallback, so that an operator who pins a backend (results differ slightly between
 *   backends) is never silently given another one.
 *
 * Idempotent: once a backend is active, a call without `preferred`, or naming the active backend,
 * returns the same report without touching the engine. Naming another backend switches to it; do
 * that only while no training runs.
 *
 * Throws AirlockError `BAD_REQUEST` for an unknown backend name and `INTERNAL` when the requested
 * backend (or, unforced, even `cpu`) fails to load, with `details.tried`.
 */
export function initBackend(preferred?: BackendName): Promise<BackendReport> {
  const run = queue.then(() => select(preferred));
  queue = run.catch(() => undefined);
  return run;
}

/** The backend in use, or undefined before {@link initBackend} has succeeded. */
export function currentBackend(): BackendName | undefined {
  return current?.backend;
}

/** The active backend's report, initializing the default one on first use. */
export async function ensureBackend(): Promise<BackendReport> {
  return current ?? initBackend();
}

async function select(preferred: BackendName | undefined): Promise<BackendReport> {
  const forced = preferred;
  if (forced !== undefined && !AUTO_ORDER.includes(forced)) {
    throw new AirlockError('BAD_REQUEST', `unknown TensorFlow.js backend "${String(forced)}"; use one of ${AUTO_ORDER.join(', ')}`);
  }
  if (current !== undefined && (forced === undefined || forced === current.backend)) return current;

  const tf = await loadTf();
  const previous = current;
  const tried: Array<{ backend: BackendName; error?: string }> = [];
  for (const backend of forced === undefined ? AUTO_ORDER : [forced]) {
    try {
      await activate(tf, backend);
      tried.push({ backend });
      current = { backend, tried };
      return current;
    } catch (error) {
      tried.push({ backend, error: error instanceof Error ? error.message : String(error) });
    }
  }
  // A failed initialization leaves the engine pointing at the broken backend; go back to the one
  // that worked so that a failed switch does not break training for everybody.
  if (previous !== undefined) await activate(tf, previous.backend).catch(() => undefined);
  const reasons = tried.map((t) => `${t.backend}: ${t.error ?? 'ok'}`).join('; ');
  throw new AirlockError('INTERNAL', `no TensorFlow.js backend could be loaded (${reasons})`, { details: { tried } });
}

async function activate(tf: TfModule, backend: BackendName): Promise<void> {
  switch (backend) {
    case 'tensorflow': {
      if (tf.findBackend('tensorflow') === null) {
        try {
          // Registers the 'tensorflow' backend with the shared tfjs-core as a side effect.
          await import(TFJS_NODE);
        } catch (error) {
          throw new Error(isModuleNotFound(error) ? `${TFJS_NODE} is not installed (optional)` : `${TFJS_NODE} failed to load: ${messageOf(error)}`);
        }
      }
      break;
    }
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const dist = wasmDistDir();
      // In Node the Emscripten loader reads the binaries with fs from this prefix; the default
      // (next to the bundle) breaks under bundlers and test runners that relocate modules.
      wasm.setWasmPaths(dist);
      break;
    }
    case 'cpu':
      break;
  }
  // The wasm module's Emscripten glue registers process-wide 'uncaughtException' and
  // 'unhandledRejection' listeners that rethrow, which would override the host's own handlers
  // (in the embedded runtime, the gateway's). Whatever a backend adds while initializing is removed.
  const uncaught = process.listeners('uncaughtException');
  const unhandled = process.listeners('unhandledRejection');
  let ok: boolean;
  try {
    ok = await tf.setBackend(backend);
  } finally {
    for (const listener of process.listeners('uncaughtException')) if (!uncaught.includes(listener)) process.removeListener('uncaughtException', listener);
    for (const listener of process.listeners('unhandledRejection')) if (!unhandled.includes(listener)) process.removeListener('unhandledRejection', listener);
  }
  if (!ok) throw new Error(`TensorFlow.js could not initialize the ${backend} backend`);
  // One tiny op proves the kernels are registered and runnable, not just the backend object.
  const probe = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)).dataSync()[0]);
  if (probe !== 2) throw new Error(`the ${backend} backend computed 1 + 1 = ${probe}`);
}

/** node_modules/@tensorflow/tfjs-backend-wasm/dist/, with a trailing separator, as a file path. */
function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
  if (!existsSync(path.join(dir, 'tfjs-backend-wasm.wasm'))) throw new Error(`the wasm binaries are missing from ${dir}`);
  return dir;
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (package|module)/.test(messageOf(error));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
