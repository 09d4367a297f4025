import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InMemoryKeyring } from '@airlock/deid';
import { writeDemoCsv } from '@airlock/demo';
import { ingestFile, latestRiskReport } from '@airlock/ingest';
import { applyRepoPolicies, createTestDatabase, TEST_ACTOR, type TestDatabase } from '@airlock/testing';
import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../data/request-context.ts';
import type { PolicySnapshot } from '../policy-store.ts';
import { buildSchema } from './build-schema.ts';
import type { RiskReportReader } from './risk-types.ts';

const QUERY = `{ riskReport(dataset: "admissions") {
  dataset decision reason k l maxSuppressed quasiIdentifiers sensitive suppressedRecords suppressedShare informationLoss
  before { k uniqueShare prosecutorHighest }
  after { records classes k l { column l } uniqueShare prosecutorHighest prosecutorAverage shareAboveThreshold threshold distribution { size classes records } }
  generalization { column level maxLevel name } blockers { column message } warnings { column message fix } } }`;

describe('the steward riskReport query', () => {
  let test: TestDatabase;
  let snapshot: PolicySnapshot;

  beforeAll(async () => {
    test = await createTestDatabase('pglite');
    const { set, versions } = await applyRepoPolicies(test.database);
    snapshot = { set, versions, fingerprint: 'test' };
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'airlock-risk-gql-')), 'a.csv');
    await writeDemoCsv(file, { rows: 1500, seed: 'risk-gql' });
    await ingestFile({ database: test.database, policy: set.datasets.get('admissions')!, policyVersion: 1, keys: InMemoryKeyring.generate(1), file, actor: TEST_ACTOR });
  });
  afterAll(() => test.drop());

  // The request repository's riskReport, as the gateway wires it: latestRiskReport behind the
  // repository's steward check (repository.ts is outside this change; see the report).
  const context = (): RequestContext => {
    const reader: RiskReportReader = { riskReport: (dataset) => latestRiskReport(test.database, dataset) };
    return { repository: reader } as unknown as RequestContext;
  };

  it('shows stewards the k distribution, l, what was generalized and suppressed, and the loss', async () => {
    const schema = buildSchema(snapshot, ['steward'], { pageSizeMax: 500 });
    const result = await graphql({ schema, source: QUERY, contextValue: context() });
    expect(result.errors).toBeUndefined();
    const report = (result.data as { riskReport: Record<string, unknown> }).riskReport;
    expect(report).toMatchObject({ dataset: 'admissions', decision: 'published', reason: 'ingest', k: 5, l: 2, maxSuppressed: 0.05, sensitive: ['diagnosis'] });
    expect(report['after']).toMatchObject({ uniqueShare: 0, threshold: 0.2 });
    expect((report['after'] as { k: number }).k).toBeGreaterThanOrEqual(5);
    expect((report['before'] as { k: number }).k).toBe(1);
    expect(report['generalization']).toHaveLength(5);
    expect(report['warnings']).toContainEqual(expect.objectContaining({ column: 'cost' }));
  });

  it('does not exist in the schema of other roles', async () => {
    const schema = buildSchema(snapshot, ['analyst'], { pageSizeMax: 500 });
    const result = await graphql({ schema, source: QUERY, contextValue: context() });
    expect(result.errors?.[0]?.message).toMatch(/Cannot query field "riskReport"/);
  });
});
