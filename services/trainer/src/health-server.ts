import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@airlock/core';
import type { TrainerHealth } from './health.ts';

export interface HealthServerOptions {
  /** `AIRLOCK_HOST`: the address to listen on. */
  host: string;
  /** `AIRLOCK_TRAINER_HEALTH_PORT`; 0 picks a free port (tests). */
  port: number;
  /** Run on every request: the answer is never cached, so a check sees the trainer as it is now. */
  check(): Promise<TrainerHealth>;
  logger: Logger;
}

export interface HealthServer {
  /** `http://<host>:<port>`. */
  url: string;
  close(): Promise<void>;
}

/**
 * A trainer's health endpoint, for a container healthcheck: `GET /healthz` answers 200
 * `{"status":"ok"}` or 503 `{"status":"unhealthy"}`; anything else 404. Why it is unhealthy goes
 * to the trainer's log only: the reason names database hosts and errors.
 */
export async function serveTrainerHealth(options: HealthServerOptions): Promise<HealthServer> {
  const server = createServer((req, res) => {
    const reply = (status: number, body: Record<string, string>): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/healthz') return reply(404, { status: 'not found' });
    options.check().then(
      (health) => {
        if (health.kind === 'healthy') return reply(200, { status: 'ok' });
        options.logger.warn({ reason: health.reason }, 'trainer health check failed');
        reply(503, { status: 'unhealthy' });
      },
      (error: unknown) => {
        options.logger.error({ err: error }, 'trainer health check threw');
        reply(503, { status: 'unhealthy' });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
