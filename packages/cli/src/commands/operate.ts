import type { OperationName } from '../operations/index.ts';

/**
 * Run a data owner's command (see run-operation.ts). The packages behind it are loaded here, when
 * the command runs, not when the command tree is built: `airlock --help` stays fast.
 */
export async function operate(name: OperationName, args: unknown): Promise<void> {
  const [{ loadConfig }, { runOperation }] = await Promise.all([import('@airlock/config'), import('../run-operation.ts')]);
  await runOperation(name, args, loadConfig());
}
