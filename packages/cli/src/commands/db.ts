import type { Command } from 'commander';
import { say, using } from '../output.ts';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('Database administration.');
  db.command('migrate')
    .description('Apply pending migrations from migrations/ (running it again is a no-op).')
    .action(async () => {
      const [{ migrateToLatest }, { describeDatabase, openRuntime }] = await Promise.all([import('@airlock/db'), import('../runtime.ts')]);
      await using(
        () => openRuntime({ migrate: false }),
        async (runtime) => {
          const { applied } = await migrateToLatest(runtime.database);
          say(`Database: ${describeDatabase(runtime)}`);
          say(applied.length === 0 ? 'Already up to date.' : `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}`);
        },
      );
    });
}
