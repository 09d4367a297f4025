import { loadPolicySet } from '@airlock/catalog';
import type { Logger } from '@airlock/core';
import { startTrainer, type Trainer } from '@airlock/trainer';
import type { Runtime } from './runtime.ts';

/** The training service on the runtime's database, with the trainer section of its configuration. */
export function startRuntimeTrainer(runtime: Runtime, logger: Logger): Promise<Trainer> {
  const settings = runtime.config.trainer;
  return startTrainer({
    // The queue runs through the database's queue door (as airlock_jobs), never on the owner's URL.
    database: runtime.database,
    policies: () => loadPolicySet(runtime.database),
    concurrency: settings.concurrency,
    maxJobMs: settings.maxJobMs,
    maxMemoryMb: settings.maxMemoryMb,
    backend: settings.tfBackend,
    logger,
  });
}
