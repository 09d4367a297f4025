import type { Command } from 'commander';
import { operate } from './operate.ts';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident audit log.');
  audit
    .command('verify')
    .description(
      'Recompute the hash chain, check every event\'s MAC and the head anchored outside the database; exit 1 and name the first broken event if the log was altered.',
    )
    .action(async () => {
      await operate('audit verify', {});
    });
}
