import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@airlock/core/logger';
import type { AirlockDatabase, DatabaseKind } from '@airlock/db';
import { openOrCreateKeyring, type KeyProvider } from '@airlock/deid';
import { writeDemoCsv } from '@airlock/demo';
import { loadAuthConfig, loadGatewayConfig, mintDevToken, startGateway, type GatewayConfig } from '@airlock/gateway';
import { ingestFile } from '@airlock/ingest';
import { loadPolicySet } from '@airlock/catalog';
import { startTrainer, type Trainer } from '@airlock/trainer';
import { ADULT_CSV, applyRepoPolicies, createTestDatabase, TEST_ACTOR, type TestDatabase } from '@airlock/testing';

export interface GatewayHarness {
  url: string;
  test: TestDatabase;
  database: AirlockDatabase;
  dataDir: string;
  keys: KeyProvider;
  config: GatewayConfig;
  /** How many times the gateway touched the database (zone transactions and bulk sessions). */
  databaseCalls(): number;
  trainer: Trainer | undefined;
  token(roles: string[], sub?: string): Promise<string>;
  gql<T = Record<string, unknown>>(token: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GqlResponse<T>>;
  close(): Promise<void>;
}

export interface GqlResponse<T> {
  status: number;
  data: T | null | undefined;
  errors: Array<{ message: string; extensions?: { code?: string } }> | undefined;
  raw: string;
}

/**
 * A gateway over HTTP on 127.0.0.1 with real signed dev tokens, on a fresh database of the given
 * kind with the repository's policies applied and the demo admissions (and Adult) ingested.
 */
export async function startGatewayHarness(
  kind: DatabaseKind,
  options: { demoRows?: number; adult?: boolean; env?: Record<string, string>; trainer?: boolean } = {},
): Promise<GatewayHarness> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'airlock-gw-'));
  const test = await createTestDatabase(kind);
  const { set, versions } = await applyRepoPolicies(test.database);
  const keys = openOrCreateKeyring(path.join(dataDir, 'keyring.json'));
  const demo = path.join(dataDir, 'admissions.csv');
  await writeDemoCsv(demo, { rows: options.demoRows ?? 2000, seed: 'gateway-tests' });
  const ingest = (dataset: string, file: string, delimiter = ',') =>
    ingestFile({ database: test.database, policy: set.datasets.get(dataset)!, policyVersion: versions.get(dataset)!.version, keys, file, delimiter, actor: TEST_ACTOR });
  await ingest('admissions', demo);
  if (options.adult) await ingest('adult', ADULT_CSV, ';');

  let calls = 0;
  const counted: AirlockDatabase = {
    ...test.database,
    kind: test.database.kind,
    withZone: (role, fn, zoneOptions) => {
      calls += 1;
      return test.database.withZone(role, fn, zoneOptions);
    },
    bulk: (role, fn) => {
      calls += 1;
      return test.database.bulk(role, fn);
    },
    close: () => test.database.close(),
  };
  // No rate limit unless a test asks for one: the privacy suites send thousands of queries.
  const config = loadGatewayConfig({ AIRLOCK_POLICY_REFRESH_MS: '0', AIRLOCK_RATE_LIMIT: '0', ...options.env });
  const trainer = options.trainer
    ? await startTrainer({ database: test.database, policies: () => loadPolicySet(test.database), logger: createLogger('trainer-test', 'silent') })
    : undefined;
  const gateway = await startGateway({
    database: counted,
    host: '127.0.0.1',
    port: 0,
    logger: createLogger('gateway-test', 'silent'),
    config,
    auth: loadAuthConfig({}, { dataDir }),
    keys: () => keys,
    trainer,
  });
  const url = gateway.url;
  return {
    url,
    test,
    database: test.database,
    dataDir,
    keys,
    config,
    databaseCalls: () => calls,
    trainer,
    token: (roles, sub = `user-${roles.join('-') || 'none'}`) => mintDevToken({ dataDir, sub, roles, ttlSeconds: 3600 }),
    async gql<T>(token: string | undefined, query: string, variables?: Record<string, unknown>) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
      });
      const raw = await res.text();
      let body: { data?: T | null; errors?: GqlResponse<T>['errors'] } = {};
      try {
        body = JSON.parse(raw) as typeof body;
      } catch {
        // leave empty: the test looks at raw
      }
      return { status: res.status, data: body.data, errors: body.errors, raw };
    },
    async close() {
      await gateway.close();
      await trainer?.stop();
      await test.drop();
    },
  };
}
