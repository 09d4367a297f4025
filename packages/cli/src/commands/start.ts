import type { Command } from 'commander';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'Run Airlock: migrate the database, apply policies/, and serve the gateway (embedded database unless DATABASE_URL is set).',
    )
    .option('--production', 'production mode, as NODE_ENV=production: refuse development JWT keys, the demo dataset and a missing audit key')
    .addHelpText('after', '\nOn the embedded database, `airlock` commands run in another terminal are handed to this server.')
    .action(async (options: { production?: boolean }) => {
      const { serve } = await import('../serve.ts');
      await serve(options);
    });
}
