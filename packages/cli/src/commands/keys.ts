import type { Command } from 'commander';
import { operate } from './operate.ts';

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('The token keyring (AIRLOCK_KEYRING).');
  keys
    .command('rotate')
    .description('Add a key version and re-derive every dataset\'s deidentified zone with it (old tokens stop matching).')
    .action(async () => {
      await operate('keys rotate', {});
    });
}
