/**
 * Synthetic releases through the database: fitted under the restricted role, published to the
 * synthetic zone with reports, no real person in the rows or in the stored generator, served over
 * GraphQL to the roles the policy names, and audited.
 */
import { synthesizeDataset } from '@airlock/releases';
import { TEST_ACTOR, testDatabaseKinds } from '@airlock/testing';
import { loadPolicySet } from '@airlock/catalog';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayHarness, type GatewayHarness } from './support/gateway-harness.ts';

describe.each(testDatabaseKinds())('synthetic zone on %s', (kind) => {
  let gw: GatewayHarness;
  let releaseId: number;
  let releasedRows: number;
  beforeAll(async () => {
    gw = await startGatewayHarness(kind, { demoRows: 3000 });
    const { set, versions } = await loadPolicySet(gw.database);
    const result = await synthesizeDataset({ database: gw.database, policy: set.datasets.get('admissions')!, policyVersion: versions.get('admissions')!.version, seed: 1, actor: TEST_ACTOR });
    expect(result.decision.kind).toBe('publish');
    releaseId = result.releaseId;
    // Sampled rows the policy's transforms refuse, or that reproduce a real person, are not released.
    releasedRows = result.rows;
    expect(releasedRows).toBeGreaterThan(3000 * 0.9);
  }, 240_000);
  afterAll(() => gw?.close());

  it('holds no real identifier value in the released rows or the stored generator', async () => {
    const real = await gw.database.withZone('restricted', (trx) =>
      sql<{ admission_id: string; mrn: string; name: string; ssn: string; email: string }>`select admission_id, mrn, name, ssn, email from restricted.admissions`.execute(trx),
    );
    const identifiers = new Set(real.rows.flatMap((r) => [r.admission_id, r.mrn, r.name, r.ssn, r.email]));
    const synthetic = await gw.database.withZone('synthetic', (trx) => sql<Record<string, unknown>>`select * from synthetic.admissions`.execute(trx));
    expect(synthetic.rows).toHaveLength(releasedRows);
    for (const row of synthetic.rows) for (const value of Object.values(row)) expect(identifiers.has(String(value))).toBe(false);
    expect(Object.keys(synthetic.rows[0]!)).not.toContain('name'); // dropped in the open zones
    const model = await gw.database.withZone('restricted', (trx) =>
      sql<{ model: unknown }>`select model from restricted.synth_generators where release_id = ${releaseId}`.execute(trx),
    );
    const json = JSON.stringify(model.rows[0]!.model);
    for (const id of identifiers) expect(json.includes(`"${id}"`), id).toBe(false);
  });

  it('is served over GraphQL with its reports to the roles the policy names, and audited', async () => {
    const res = await gw.gql<{ admissions: { syntheticRelease: Record<string, number | string>; syntheticRecords: { nodes: unknown[] } } }>(
      await gw.token(['ml']),
      '{ admissions { syntheticRelease { id decision rows qualityOverall rocAucGap exactMatchRatio closerToTrainShare } syntheticRecords(first: 10) { nodes { mrn ward readmitted } } } }',
    );
    expect(res.errors, res.raw).toBeUndefined();
    const release = res.data!.admissions.syntheticRelease;
    expect(release).toMatchObject({ id: releaseId, decision: 'published', rows: releasedRows });
    expect(release['qualityOverall']).toBeGreaterThan(0.85);
    expect(release['exactMatchRatio']).toBeLessThanOrEqual(1.15);
    expect(release['closerToTrainShare']).toBeLessThanOrEqual(0.55);
    expect(res.data!.admissions.syntheticRecords.nodes).toHaveLength(10);
    const events = await gw.database.withZone('audit', (trx) =>
      sql<{ outcome: string }>`select outcome from audit.events where event_type = 'synth.release' and dataset = 'admissions'`.execute(trx),
    );
    expect(events.rows.map((e) => e.outcome)).toEqual(['allowed']);
  });

  it('the synthetic role cannot read restricted data or the stored generator', async () => {
    for (const table of ['restricted.admissions', 'restricted.synth_generators']) {
      await expect(gw.database.withZone('synthetic', (trx) => sql`select * from ${sql.table(table)} limit 1`.execute(trx))).rejects.toMatchObject({ code: '42501' });
    }
  });
});
