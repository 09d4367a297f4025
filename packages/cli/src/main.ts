import { isAirlockError } from '@airlock/core';
import { Command, CommanderError } from 'commander';
import { registerAuditCommands } from './commands/audit.ts';
import { registerDbCommands } from './commands/db.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerIngestCommands } from './commands/ingest.ts';
import { registerKeyCommands } from './commands/keys.ts';
import { registerPolicyCommands } from './commands/policy.ts';
import { registerRejectsCommand } from './commands/rejects.ts';
import { registerRemoveCommand } from './commands/remove.ts';
import { registerRiskCommand } from './commands/risk.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerSynthCommand } from './commands/synth.ts';
import { registerTokenCommand } from './commands/token.ts';
import { registerTrainerCommand } from './commands/trainer.ts';
import { CliExit, tolerateClosedStdout } from './output.ts';

/** Build the `airlock` command tree. */
export function buildProgram(): Command {
  const program = new Command('airlock')
    .description('Airlock: privacy-preserving data platform with zoned access.')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: true });
  registerStartCommand(program);
  registerDbCommands(program);
  registerPolicyCommands(program);
  registerAuditCommands(program);
  registerIngestCommands(program);
  registerRiskCommand(program);
  registerRemoveCommand(program);
  registerRejectsCommand(program);
  registerKeyCommands(program);
  registerDemoCommand(program);
  registerTokenCommand(program);
  registerSynthCommand(program);
  registerTrainerCommand(program);
  return program;
}

/**
 * Run the CLI and return the exit code: 0 success, 1 failure (one clear line on stderr),
 * 2 usage error.
 */
export async function main(argv: readonly string[]): Promise<number> {
  tolerateClosedStdout();
  const program = buildProgram();
  program.exitOverride();
  for (const command of allCommands(program)) command.exitOverride();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliExit) return error.exitCode;
    const message = isAirlockError(error) ? error.message : `unexpected error: ${(error as Error).stack ?? String(error)}`;
    process.stderr.write(`airlock: error: ${message}\n`);
    return 1;
  }
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((sub) => [sub, ...allCommands(sub)]);
}
