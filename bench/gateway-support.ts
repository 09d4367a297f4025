/** A gateway on 127.0.0.1 over a scratch database with the demo admissions, for the HTTP benchmarks. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createAuditLog } from '@airlock/audit';
import { createLogger } from '@airlock/core';
import type { DatabaseKind } from '@airlock/db';
import { sqlRunner } from '@airlock/db';
import { openOrCreateKeyring } from '@airlock/deid';
import { createGatewayApp, createMetrics, createTokenVerifier, loadAuthConfig, loadGatewayConfig, mintDevToken, PolicyStore } from '@airlock/gateway';
import { loadPolicySet } from '@airlock/catalog';
import { startTrainer, type Trainer } from '@airlock/trainer';
import { benchTmp, demoCsv, loadDemo, scratchDatabase } from './support.ts';

export interface BenchGateway {
  url: string;
  trainer: Trainer | undefined;
  token(roles: string[]): Promise<string>;
  query(token: string, query: string): Promise<Response>;
  /** Run SQL as the connecting user, outside the gateway: the baseline. */
  directSql(text: string): Promise<unknown[]>;
  close(): Promise<void>;
}

export async function benchGateway(kind: DatabaseKind, rows: number, pgAdminUrl: string | undefined, options: { trainer?: boolean } = {}): Promise<BenchGateway> {
  const test = await scratchDatabase(kind, pgAdminUrl);
  const keys = openOrCreateKeyring(path.join(benchTmp, `keyring-${kind}-${rows}.json`));
  await loadDemo(test, await demoCsv(rows), keys);
  const policies = new PolicyStore(test.database);
  await policies.load();
  const dataDir = path.join(benchTmp, `gateway-${kind}`);
  const trainer = options.trainer
    ? await startTrainer({ database: test.database, databaseUrl: test.url, policies: () => loadPolicySet(test.database), logger: createLogger('bench', 'silent') })
    : undefined;
  const { app, graphql } = createGatewayApp({
    database: test.database,
    policies,
    verifier: createTokenVerifier(loadAuthConfig({}, { dataDir })),
    audit: createAuditLog(test.database),
    metrics: createMetrics(),
    config: loadGatewayConfig({ AIRLOCK_POLICY_REFRESH_MS: '0' }),
    logger: createLogger('bench', 'silent'),
    keys: () => keys,
    trainer,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    trainer,
    token: (roles) => mintDevToken({ dataDir, sub: 'bench', roles, ttlSeconds: 3600 }),
    query: (token, query) =>
      fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) }),
    directSql: (text) => test.database.admin.transaction().execute((trx) => sqlRunner(trx).query(text)),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await graphql.stop();
      await trainer?.stop();
      await test.drop();
    },
  };
}
