import type { CliConfig } from '@airlock/config';
import type { OperationOutput } from './operation.ts';
import { say, warn } from './output.ts';
import { progressBar } from './progress.ts';

/** An operation's output on this terminal: stdout, stderr and progress bars in the configured style. */
export function terminalOutput(style: CliConfig['progress']): OperationOutput {
  return { say, warn, progress: (label, total, unit, note) => progressBar(style, label, total, unit, note) };
}
