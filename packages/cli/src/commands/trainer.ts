import type { Command } from 'commander';
import { AirlockError } from '@airlock/core';
import { say } from '../output.ts';

export function registerTrainerCommand(program: Command): void {
  program
    .command('trainer')
    .description('Run only the training service (server mode: several trainers can share the queue in PostgreSQL).')
    .addHelpText('after', '\nWith AIRLOCK_TRAINER_HEALTH_PORT set, GET http://<AIRLOCK_HOST>:<port>/healthz answers 200 while it works, 503 otherwise.')
    .action(async () => {
      const [{ createLogger }, { serveTrainerHealth }, { openRuntime }, { startRuntimeTrainer }, { waitForSignal }] = await Promise.all([
        import('@airlock/core/logger'),
        import('@airlock/trainer'),
        import('../runtime.ts'),
        import('../trainer-runtime.ts'),
        import('../signals.ts'),
      ]);
      const runtime = await openRuntime();
      try {
        if (!runtime.config.databaseUrl) {
          throw new AirlockError('BAD_REQUEST', 'A separate trainer needs DATABASE_URL (the embedded database belongs to one process; `airlock start` runs a trainer in it).');
        }
        const logger = createLogger('trainer', runtime.config.logLevel);
        const trainer = await startRuntimeTrainer(runtime, logger);
        const { healthPort } = runtime.config.trainer;
        let health: Awaited<ReturnType<typeof serveTrainerHealth>> | undefined;
        try {
          health = healthPort === undefined ? undefined : await serveTrainerHealth({ host: runtime.config.host, port: healthPort, check: () => trainer.health(), logger });
          say(`Trainer running (TensorFlow.js backend: ${trainer.backend.backend}, concurrency ${runtime.config.trainer.concurrency}, ${runtime.config.trainer.maxMemoryMb} MB per job). Ctrl+C to stop.`);
          if (health) say(`  health     ${health.url}/healthz`);
          await waitForSignal();
        } finally {
          await trainer.stop();
          await health?.close();
        }
      } finally {
        await runtime.close();
      }
    });
}
