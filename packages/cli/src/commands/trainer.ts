import type { Command } from 'commander';
import { loadPolicySet } from '@airlock/catalog';
import { AirlockError, createLogger } from '@airlock/core';
import { startTrainer } from '@airlock/trainer';
import { say } from '../output.ts';
import { openRuntime } from '../runtime.ts';
import { trainerConcurrency, waitForSignal } from './start.ts';

export function registerTrainerCommand(program: Command): void {
  program
    .command('trainer')
    .description('Run only the training service (server mode: several trainers can share the queue in PostgreSQL).')
    .action(async () => {
      const runtime = await openRuntime();
      try {
        if (!runtime.config.databaseUrl) {
          throw new AirlockError('BAD_REQUEST', 'A separate trainer needs DATABASE_URL (the embedded database belongs to one process; `airlock start` runs a trainer in it).');
        }
        const logger = createLogger('trainer', runtime.config.logLevel);
        const trainer = await startTrainer({
          database: runtime.database,
          databaseUrl: runtime.config.databaseUrl,
          policies: () => loadPolicySet(runtime.database),
          concurrency: trainerConcurrency(),
          logger,
        });
        say(`Trainer running (TensorFlow.js backend: ${trainer.backend.backend}, concurrency ${trainerConcurrency()}). Ctrl+C to stop.`);
        await waitForSignal();
        await trainer.stop();
      } finally {
        await runtime.close();
      }
    });
}
