import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuditLog } from '@airlock/audit';
import { AirlockError, type Logger } from '@airlock/core';
import type { AirlockDatabase } from '@airlock/db';
import type { KeyProvider } from '@airlock/deid';
import { createGatewayApp } from './app.ts';
import { createTokenVerifier, ensureDevKeys, type AuthConfig } from './auth/index.ts';
import type { GatewayConfig } from '@airlock/config';
import { createMetrics } from './metrics.ts';
import { PolicyStore } from './policy-store.ts';
import type { TrainingQueue } from '@airlock/models';

export interface GatewayOptions {
  database: AirlockDatabase;
  host: string;
  port: number;
  logger: Logger;
  config: GatewayConfig;
  auth: AuthConfig;
  keys: () => KeyProvider;
  facts?: () => Record<string, unknown>;
  /** The job queue to the training service (see `RepositoryDeps.trainer`). */
  trainer?: TrainingQueue | undefined;
}

export interface RunningGateway {
  url: string;
  policies: PolicyStore;
  /**
   * Stop accepting, finish in-flight requests (new requests on open connections get 503), for at
   * most `config.shutdownTimeoutMs`, then flush audit writes; resolves when done.
   */
  close(): Promise<void>;
}

/** Start the HTTP gateway (policies loaded first, then re-read every `policyRefreshMs`). */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  // Development keys exist from the start, so `airlock token` run in the same data folder signs
  // with them (and warns only when no server has used that folder).
  if (options.auth.mode === 'dev') await ensureDevKeys(options.auth.dataDir);
  const policies = new PolicyStore(options.database);
  await policies.load();
  policies.startRefreshing(options.config.policyRefreshMs, (error) => options.logger.warn({ err: error }, 'policy refresh failed'));
  const audit = createAuditLog(options.database);
  const { app, graphql, drain } = createGatewayApp({
    database: options.database,
    policies,
    verifier: createTokenVerifier(options.auth),
    audit,
    metrics: createMetrics(),
    config: options.config,
    logger: options.logger,
    keys: options.keys,
    ...(options.facts ? { facts: options.facts } : {}),
    trainer: options.trainer,
  });
  const server: Server = await new Promise((resolve, reject) => {
    // Express 5 calls back with the listen error too (the port in use, say).
    const listening = app.listen(options.port, options.host, (error?: Error) => (error ? reject(listenError(error, options.host, options.port)) : resolve(listening)));
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    policies,
    async close() {
      policies.stop();
      // Stop accepting connections; refuse new requests on open ones; let in-flight ones finish
      // (each then closes its connection), for at most shutdownTimeoutMs; then cut the rest.
      drain.start();
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeIdleConnections();
      const overdue = setTimeout(() => {
        options.logger.warn({ inFlight: drain.inFlight.size }, 'shutdown: requests still in flight after the timeout; closing their connections');
        server.closeAllConnections();
      }, options.config.shutdownTimeoutMs);
      try {
        await closed;
      } finally {
        clearTimeout(overdue);
      }
      await graphql.stop();
      await audit.flush();
    },
  };
}

function listenError(error: Error & { code?: string }, host: string, port: number): AirlockError {
  const why = error.code === 'EADDRINUSE' ? `${host}:${port} is already in use: stop the process that holds it, or set PORT to another port` : `cannot listen on ${host}:${port}: ${error.message}`;
  return new AirlockError('CONFIG_INVALID', `The gateway could not start: ${why}.`, { cause: error });
}
