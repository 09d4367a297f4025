/**
 * Streaming export (issue 14): every record of a zone a caller may read, as CSV or NDJSON,
 * through the same repository as GraphQL (columns, filters, sort), audited before the first byte
 * and at the end; refused the same way as GraphQL for zones the caller may not read.
 */
import { parse } from 'csv-parse/sync';
import { testDatabaseKinds } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayHarness, type GatewayHarness } from './support/gateway-harness.ts';

describe.each(testDatabaseKinds())('export on %s', (kind) => {
  let gw: GatewayHarness;
  beforeAll(async () => {
    // More rows than one page (AIRLOCK_PAGE_SIZE_MAX 200 here), so the export pages.
    gw = await startGatewayHarness(kind, { demoRows: 900, env: { AIRLOCK_PAGE_SIZE_MAX: '200' } });
  }, 240_000);
  afterAll(() => gw?.close());

  const get = async (token: string | undefined, pathAndQuery: string) => {
    const res = await fetch(`${gw.url}/export/${pathAndQuery}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, type: res.headers.get('content-type') ?? '', disposition: res.headers.get('content-disposition') ?? '', body: await res.text() };
  };
  const published = async (where = sql`true`) =>
    (await gw.database.withZone('deidentified', (trx) => sql<{ n: number }>`select count(*)::int as n from deidentified.admissions where ${where}`.execute(trx))).rows[0]!.n;

  it('streams every readable record as CSV, with the columns GraphQL shows', async () => {
    const res = await get(await gw.token(['analyst'], 'exporter'), 'admissions/deidentified?format=csv');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/csv/u);
    expect(res.disposition).toBe('attachment; filename="admissions-deidentified.csv"');
    const rows = parse(res.body, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(await published());
    expect(Object.keys(rows[0]!)).toContain('diagnosis');
    expect(Object.keys(rows[0]!)).not.toContain('name'); // dropped in the open zone
    expect(Object.keys(rows[0]!)).not.toContain('ssn');
    expect(new Set(rows.map((r) => `${r['mrn']}|${r['admission_id']}`)).size).toBe(rows.length);
  });

  it('filters and sorts as NDJSON', async () => {
    const res = await get(await gw.token(['analyst']), 'admissions/deidentified?format=ndjson&sex=F&orderBy=length_of_stay&direction=desc');
    expect(res.status).toBe(200);
    const rows = res.body.trim().split('\n').map((line) => JSON.parse(line) as { sex: string; length_of_stay: number | null });
    expect(rows).toHaveLength(await published(sql`sex = 'F'`));
    expect(rows.every((r) => r.sex === 'F')).toBe(true);
    const stays = rows.map((r) => r.length_of_stay).filter((v): v is number => v !== null);
    expect(stays).toEqual([...stays].sort((a, b) => b - a));
  });

  it('audits the export before the first byte and at the end, with the row count', async () => {
    await get(await gw.token(['analyst'], 'audited-exporter'), 'admissions/deidentified');
    const events = await gw.database.withZone('audit', (trx) =>
      sql<{ outcome: string; details: { phase: string; rows?: number; complete?: boolean } }>`select outcome, details from audit.events where actor = 'audited-exporter' and action = 'export' order by seq`.execute(trx),
    );
    expect(events.rows.map((e) => [e.outcome, e.details.phase])).toEqual([
      ['allowed', 'start'],
      ['allowed', 'end'],
    ]);
    expect(events.rows[1]!.details).toMatchObject({ rows: await published(), complete: true });
  });

  it('is no existence oracle: a caller who may not read a zone cannot tell real datasets from invented ones', async () => {
    // Attacker: a public token (reads no record zone) and an analyst (no restricted zone) probe
    // real and invented dataset names, and guess "exists" when the answer differs from the answer
    // for a name certain not to exist. Oracle: the policy set says which names are real.
    const probes: Array<{ token: string; zone: string; name: string; real: boolean }> = [];
    const tokens = { public: await gw.token(['public']), analyst: await gw.token(['analyst']) };
    for (const [role, zone] of [['public', 'deidentified'], ['analyst', 'restricted'], ['public', 'restricted']] as const) {
      for (const name of ['admissions', 'adult']) probes.push({ token: tokens[role], zone, name, real: true });
      for (const name of ['patients', 'claims']) probes.push({ token: tokens[role], zone, name, real: false });
    }
    let right = 0;
    for (const probe of probes) {
      const reference = await get(probe.token, `surely-not-a-dataset/${probe.zone}`);
      const answer = await get(probe.token, `${probe.name}/${probe.zone}`);
      const guess = answer.status !== reference.status || answer.body !== reference.body;
      if (guess === probe.real) right++;
    }
    const accuracy = right / probes.length;
    console.log(`export existence oracle: attacker accuracy ${(accuracy * 100).toFixed(1)}% (base rate 50.0%, ${probes.length} probes)`);
    expect(accuracy).toBe(0.5);
  });

  it('refuses zones and datasets the caller may not read alike, and bad input with a 400', async () => {
    const analyst = await gw.token(['analyst']);
    const restricted = await get(analyst, 'admissions/restricted');
    const missing = await get(analyst, 'nosuch/deidentified');
    expect(restricted.status).toBe(403);
    expect(missing.status).toBe(403);
    expect(restricted.body).toBe(missing.body);
    expect((await get(await gw.token(['public']), 'admissions/deidentified')).status).toBe(403);
    expect((await get(undefined, 'admissions/deidentified')).status).toBe(401);
    const badFilter = await get(analyst, 'admissions/deidentified?ssn=123');
    expect(badFilter.status).toBe(400);
    expect(badFilter.body).toMatch(/Cannot filter on \\"ssn\\"/u);
    expect((await get(analyst, 'admissions/deidentified?format=xlsx')).status).toBe(400);
  });
});
