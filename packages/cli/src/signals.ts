import { warn } from './output.ts';

/**
 * Resolve on the first SIGINT or SIGTERM. The handlers stay installed while the process stops, so
 * a repeated SIGTERM does not kill it half-way (in-flight requests, unflushed audit events); a
 * second Ctrl+C (SIGINT) exits at once, as people expect.
 */
export function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received: NodeJS.Signals | undefined;
    const handler = (signal: NodeJS.Signals): void => {
      if (received === undefined) {
        received = signal;
        resolve(signal);
        return;
      }
      if (signal === 'SIGINT') {
        warn('Second interrupt: exiting without finishing in-flight work.');
        process.exit(130);
      }
      warn(`${signal} again: already stopping.`);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}
