import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The one logger factory. `level` comes from the configuration (`AIRLOCK_LOG_LEVEL`, default
 * `info`; see @airlock/config); tests pass `silent`. Packages take a Logger argument instead of
 * writing to the console.
 */
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level, base: { service: name } });
}
