import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@airlock/core';
import express from 'express';
import { healthRouter, type ReadinessSource } from './health.ts';

export interface GatewayOptions extends ReadinessSource {
  host: string;
  port: number;
  logger: Logger;
}

export interface RunningGateway {
  url: string;
  /** Stop accepting connections, finish in-flight requests, then resolve. */
  close(): Promise<void>;
}

/** Start the HTTP gateway. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRouter(options));
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(options.port, options.host, () => resolve(listening));
    listening.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
