import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The one logger factory. Level from `AIRLOCK_LOG_LEVEL` (default `info`; `silent` in tests when
 * `VITEST` is set). Packages take a Logger argument instead of writing to the console.
 */
export function createLogger(name: string, level = defaultLevel()): Logger {
  return pino({ name, level, base: { service: name } });
}

function defaultLevel(): string {
  const fromEnv = process.env['AIRLOCK_LOG_LEVEL'];
  if (fromEnv) return fromEnv;
  return process.env['VITEST'] ? 'silent' : 'info';
}
