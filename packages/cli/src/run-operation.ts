import type { AirlockConfig } from '@airlock/config';
import { handOff, runningServer } from './hand-off.ts';
import { loadOperation, type OperationName } from './operations/index.ts';
import { using } from './output.ts';
import { cliActor, openRuntime } from './runtime.ts';
import { terminalOutput } from './terminal-output.ts';

/**
 * Run a data owner's command: in this process, or, when `airlock start` runs on the same embedded
 * database, in that server (see hand-off.ts). One code path: the same operation runs either way.
 */
export async function runOperation(name: OperationName, args: unknown, config: AirlockConfig): Promise<void> {
  const out = terminalOutput(config.cli.progress);
  const actor = cliActor();
  const server = config.databaseUrl ? undefined : runningServer(config.dataDir);
  if (server) return handOff(server, name, args, actor.actor, out);
  const operation = await loadOperation(name);
  await using(
    () => openRuntime({ config }),
    (runtime) => operation({ config: runtime.config, database: runtime.database, actor, out }, args),
  );
}
