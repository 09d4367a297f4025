import type { AirlockConfig } from '@airlock/config';
import type { AirlockDatabase } from '@airlock/db';

/** A progress bar an operation drives; where it is drawn is the output's business. */
export interface Progress {
  update(done: number, extra?: Record<string, string | number>): void;
  stop(): void;
}

/** Where an operation writes: the terminal, or the stream back to a CLI that handed it over. */
export interface OperationOutput {
  /** A line of the result (stdout). */
  say(line?: string): void;
  /** A line of warning or diagnosis (stderr). */
  warn(line: string): void;
  /** A progress bar over `total` `unit`s; `note` is a cli-progress format tail such as `{phase}`. */
  progress(label: string, total: number, unit: string, note?: string): Progress;
}

/** What an operation runs with: the open database and configuration of whoever runs it. */
export interface OperationContext {
  config: AirlockConfig;
  database: AirlockDatabase;
  /** Who asked, for audit events: the operating-system user at the terminal. */
  actor: { actor: string; roles: string[] };
  out: OperationOutput;
}

/**
 * One data-owner command's work, with JSON arguments (paths already absolute): the same function
 * runs in the CLI's process, or in the running server's when the CLI hands it over (the embedded
 * database belongs to one process). It reports through `out` and ends by returning (exit 0) or
 * throwing (`CliExit` for a chosen exit code, an AirlockError for a clear failure).
 */
export type Operation<A> = (context: OperationContext, args: A) => Promise<void>;
