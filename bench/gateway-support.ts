/** A gateway on 127.0.0.1 over a scratch database with the demo admissions, for the HTTP benchmarks. */
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { createLogger } from '@airlock/core/logger';
import type { AirlockDatabase, DatabaseKind } from '@airlock/db';
import { openOrCreateKeyring } from '@airlock/deid';
import { loadAuthConfig, loadGatewayConfig, mintDevToken, startGateway } from '@airlock/gateway';
import { loadPolicySet } from '@airlock/catalog';
import { startTrainer, type Trainer } from '@airlock/trainer';
import { benchTmp, demoCsv, loadDemo, scratchDatabase } from './support.ts';

export interface BenchGateway {
  url: string;
  database: AirlockDatabase;
  trainer: Trainer | undefined;
  token(roles: string[], sub?: string): Promise<string>;
  query(token: string, query: string): Promise<Response>;
  /** Run SQL as the owner, in a transaction, outside the gateway: the baseline. */
  directSql(text: string, params?: readonly unknown[]): Promise<unknown[]>;
  close(): Promise<void>;
}

export async function benchGateway(kind: DatabaseKind, rows: number, pgAdminUrl: string | undefined, options: { trainer?: boolean } = {}): Promise<BenchGateway> {
  const test = await scratchDatabase(kind, pgAdminUrl);
  const keys = openOrCreateKeyring(path.join(benchTmp, `keyring-${kind}-${rows}.json`));
  await loadDemo(test, await demoCsv(rows), keys);
  const dataDir = path.join(benchTmp, `gateway-${kind}`);
  const trainer = options.trainer
    ? await startTrainer({ database: test.database, policies: () => loadPolicySet(test.database), logger: createLogger('bench', 'silent') })
    : undefined;
  const gateway = await startGateway({
    database: test.database,
    host: '127.0.0.1',
    port: 0,
    logger: createLogger('bench', 'silent'),
    // Load benchmarks drive one subject far past the default rate limit, and a query is measured
    // however long it takes on a loaded machine rather than refused at the statement timeout.
    config: loadGatewayConfig({ AIRLOCK_POLICY_REFRESH_MS: '0', AIRLOCK_RATE_LIMIT: '0', AIRLOCK_STATEMENT_TIMEOUT_MS: '300000' }),
    auth: loadAuthConfig({}, { dataDir }),
    keys: () => keys,
    trainer,
  });
  const url = gateway.url;
  return {
    url,
    database: test.database,
    trainer,
    token: (roles, sub = 'bench') => mintDevToken({ dataDir, sub, roles, ttlSeconds: 3600 }),
    query: (token, query) =>
      fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) }),
    directSql: (text, params) =>
      test.owner.transaction().execute(async (trx) => (await trx.executeQuery(CompiledQuery.raw(text, params ? [...params] : []))).rows),
    async close() {
      await gateway.close();
      await trainer?.stop();
      await test.drop();
    },
  };
}
