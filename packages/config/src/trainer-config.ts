import { AirlockError } from '@airlock/core';
import { envReader, type Env } from './env-reader.ts';

/** TensorFlow.js backends a trainer can be pinned to. */
export const TF_BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;

/** The training service's section of the configuration. */
export interface TrainerConfig {
  /**
   * `AIRLOCK_TRAINER` (`on` or `off`, default `on`): `on` = `airlock start` runs a trainer in its
   * process (training in worker threads); `off` = it only enqueues, for `airlock trainer` processes.
   */
  readonly enabled: boolean;
  /** `AIRLOCK_TRAINER_CONCURRENCY` (default 1, 1 to 32): training jobs one process runs at once. */
  readonly concurrency: number;
  /**
   * `AIRLOCK_TRAINER_MAX_JOB_MS` (default 1800000, 30 min; 1000 to 3000000, under the queue's
   * one-hour expiry): longest one training job may run; past it the job is stopped and fails.
   */
  readonly maxJobMs: number;
  /**
   * `AIRLOCK_TRAINER_MAX_MEMORY_MB` (default 2048, 64 to 65536): heap limit of each training or
   * analysis worker thread; a job that needs more is stopped and fails, saying so.
   */
  readonly maxMemoryMb: number;
  /**
   * `AIRLOCK_TF_BACKEND` (`tensorflow`, `wasm` or `cpu`; default unset = the fastest that loads):
   * pins the TensorFlow.js backend, with no fallback (results differ slightly between backends).
   */
  readonly tfBackend: (typeof TF_BACKENDS)[number] | undefined;
  /**
   * `AIRLOCK_TRAINER_HEALTH_PORT` (default unset = none; 1 to 65535): where `airlock trainer`
   * answers `GET /healthz` (200 while it works, 503 when stopped or its job queue's database does
   * not answer), on `AIRLOCK_HOST`. For a container's healthcheck.
   */
  readonly healthPort: number | undefined;
}

/** The trainer section alone; throws CONFIG_INVALID naming every problem. */
export function loadTrainerConfig(env: Env): TrainerConfig {
  const problems: string[] = [];
  const config = readTrainerConfig(env, problems);
  if (problems.length) {
    throw new AirlockError('CONFIG_INVALID', `Invalid trainer configuration:\n  - ${problems.join('\n  - ')}`, { details: { problems } });
  }
  return config;
}

/** {@link loadTrainerConfig}'s reading, adding each problem to `problems` instead of throwing. */
export function readTrainerConfig(env: Env, problems: string[]): TrainerConfig {
  const { integer, oneOf } = envReader(env, problems);
  const backend = env['AIRLOCK_TF_BACKEND']?.trim();
  if (backend && !(TF_BACKENDS as readonly string[]).includes(backend)) {
    problems.push(`AIRLOCK_TF_BACKEND is "${backend}"; use one of ${TF_BACKENDS.join(', ')}, or leave it unset to pick the fastest that loads.`);
  }
  return Object.freeze({
    enabled: oneOf('AIRLOCK_TRAINER', ['on', 'off'], 'on') === 'on',
    concurrency: integer('AIRLOCK_TRAINER_CONCURRENCY', 1, 1, 32),
    maxJobMs: integer('AIRLOCK_TRAINER_MAX_JOB_MS', 30 * 60_000, 1000, 3_000_000, " (50 min, under the queue's one-hour expiry)"),
    maxMemoryMb: integer('AIRLOCK_TRAINER_MAX_MEMORY_MB', 2048, 64, 65_536),
    tfBackend: backend && (TF_BACKENDS as readonly string[]).includes(backend) ? (backend as TrainerConfig['tfBackend']) : undefined,
    healthPort: env['AIRLOCK_TRAINER_HEALTH_PORT']?.trim() ? integer('AIRLOCK_TRAINER_HEALTH_PORT', 0, 1, 65_535) : undefined,
  });
}
