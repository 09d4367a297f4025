/**
 * Findings of the attack run (issue 12) against a started gateway, on each database: bad
 * characters are audited and answered 400; client mistakes get client codes.
 */
import { createHash } from 'node:crypto';
import { testDatabaseKinds } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayHarness, type GatewayHarness } from './support/gateway-harness.ts';

interface Posted {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  raw: string;
}

const OPERATOR_TOKEN = 'metrics-operator-token-0123';
/** Per subject and minute; the other tests here stay well below it with their own subjects. */
const RATE_LIMIT = 40;

describe.each(testDatabaseKinds())('gateway hardening on %s', (kind) => {
  let gw: GatewayHarness;
  let steward: string;
  let analyst: string;

  const post = async (token: string, body: unknown): Promise<Posted> => {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const raw = await res.text();
    let parsed: Posted['body'] = {};
    try {
      parsed = JSON.parse(raw) as Posted['body'];
    } catch {
      // the test looks at raw
    }
    return { status: res.status, body: parsed, raw };
  };
  const codeOf = (r: Posted) => r.body.errors?.[0]?.extensions?.code;
  const queryEvents = async () =>
    (await gw.database.withZone('audit', (trx) => sql<{ n: number }>`select count(*)::int as n from audit.events where event_type = 'query'`.execute(trx))).rows[0]!.n;

  beforeAll(async () => {
    gw = await startGatewayHarness(kind, { demoRows: 300, env: { AIRLOCK_METRICS_TOKEN: OPERATOR_TOKEN, AIRLOCK_RATE_LIMIT: String(RATE_LIMIT) } });
    steward = await gw.token(['steward']);
    analyst = await gw.token(['analyst']);
  }, 240_000);
  afterAll(() => gw?.close());

  describe('finding 2: NUL bytes and lone surrogates are audited and answered 400', () => {
    const cases: Array<[string, Record<string, unknown> | string]> = [
      ['a NUL in a variable', { query: 'query Q($a: String) { auditEvents(actor: $a, first: 1) { seq } }', variables: { a: 'x\u0000y' } }],
      ['a lone surrogate in a variable', { query: 'query Q($a: String) { auditEvents(actor: $a, first: 1) { seq } }', variables: { a: 'x\ud800y' } }],
      ['a NUL escaped in an inline argument', { query: '{ auditEvents(actor: "x\\u0000y", first: 1) { seq } }' }],
      ['a NUL in operationName', { query: 'query Q { datasets { name } }', operationName: 'Q\u0000' }],
      ['a lone surrogate in operationName', { query: 'query Q { datasets { name } }', operationName: '\udc00Q' }],
      ['a lone surrogate escaped in the raw JSON body', '{"query":"query Q { datasets { name } }","operationName":"Q\\ud800"}'],
    ];
    it.each(cases)('%s', async (_name, body) => {
      const before = await queryEvents();
      const res = await post(steward, body);
      expect(res.status, res.raw).toBe(400);
      expect(codeOf(res), res.raw).toMatch(/^(BAD_USER_INPUT|BAD_REQUEST|OPERATION_RESOLUTION_FAILURE)$/);
      expect(await queryEvents()).toBe(before + 1);
    });

    it('the audit chain stays verifiable after them', async () => {
      const { verifyAuditChain } = await import('@airlock/audit');
      expect((await verifyAuditChain(gw.database)).kind).toBe('intact');
    });
  });

  describe('finding 10: client mistakes get client codes', () => {
    it('a syntax error is 400 GRAPHQL_PARSE_FAILED', async () => {
      const res = await post(analyst, { query: '{ datasets { name ' });
      expect(res.status, res.raw).toBe(400);
      expect(codeOf(res)).toBe('GRAPHQL_PARSE_FAILED');
    });

    it('the token limit is 400 TOKEN_LIMIT_EXCEEDED', async () => {
      const fields = Array.from({ length: gw.config.armor.maxTokens }, () => 'name').join(' ');
      const res = await post(analyst, { query: `{ datasets { ${fields} } }` });
      expect(res.status, res.raw).toBe(400);
      expect(codeOf(res)).toBe('TOKEN_LIMIT_EXCEEDED');
    });

    it.each(['2024-02-30', '2024-13-45', 'yesterday'])('an aggregate window from %s is BAD_USER_INPUT', async (from) => {
      const res = await post(analyst, {
        query: `{ admissions { aggregate(groupBy: [ward], dateBucket: { column: admitted_at, grain: month }, from: "${from}") { cells { subjects } } } }`,
      });
      expect(codeOf(res), res.raw).toBe('BAD_USER_INPUT');
      expect(res.raw).not.toMatch(/Internal server error/);
    });

    it.each([
      ['a negative first', '{ auditEvents(first: -1) { seq } }'],
      ['a zero first', '{ auditEvents(first: 0) { seq } }'],
      ['an invalid since', '{ auditEvents(since: "not a date") { seq } }'],
      ['an invalid until', '{ auditEvents(until: "2024-13-45") { seq } }'],
      ['a negative before', '{ auditEvents(before: -5) { seq } }'],
    ])('auditEvents with %s is BAD_USER_INPUT naming the value', async (_name, query) => {
      const res = await post(steward, { query });
      expect(codeOf(res), res.raw).toBe('BAD_USER_INPUT');
      expect(res.body.errors?.[0]?.message).toMatch(/-1|0|not a date|2024-13-45|-5/);
    });

    it('automatic persisted queries are off: a hash alone, or a mismatching hash, is a 4xx', async () => {
      const query = '{ datasets { name } }';
      const unknownHash = await post(analyst, { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } });
      expect(unknownHash.status, unknownHash.raw).toBeGreaterThanOrEqual(400);
      expect(unknownHash.status).toBeLessThan(500);
      expect(codeOf(unknownHash)).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
      const mismatch = await post(analyst, { query, extensions: { persistedQuery: { version: 1, sha256Hash: 'b'.repeat(64) } } });
      expect(mismatch.status, mismatch.raw).toBeGreaterThanOrEqual(400);
      expect(mismatch.status).toBeLessThan(500);
      const right = createHash('sha256').update(query).digest('hex');
      const registered = await post(analyst, { query, extensions: { persistedQuery: { version: 1, sha256Hash: right } } });
      expect(registered.status).toBeLessThan(500);
      const replay = await post(analyst, { extensions: { persistedQuery: { version: 1, sha256Hash: right } } });
      expect(codeOf(replay)).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    });
  });

  describe('finding 4: /metrics is bounded and can be protected; /readyz is terse', () => {
    const operator = { authorization: `Bearer ${OPERATOR_TOKEN}` };
    const metricsText = async () => (await fetch(`${gw.url}/metrics`, { headers: operator })).text();
    const requestSeries = (text: string) => text.split('\n').filter((line) => line.startsWith('airlock_http_requests_total{'));

    it('2,000 requests to random unknown paths add one series, not 2,000', async () => {
      await metricsText(); // so the scrape's own series exists before counting
      const before = requestSeries(await metricsText());
      for (let batch = 0; batch < 20; batch++) {
        await Promise.all(Array.from({ length: 100 }, (_, i) => fetch(`${gw.url}/nope-${batch}-${i}-${Math.random()}`).then((r) => r.text())));
      }
      const after = requestSeries(await metricsText());
      expect(after.length - before.length).toBeLessThanOrEqual(1);
      expect(after.find((line) => line.includes('route="unmatched",status="404"'))).toMatch(/\} (\d+)$/);
      expect(after.find((line) => line.includes('route="/graphql",status="200"'))).toBeDefined();
      expect(after.join('\n')).not.toMatch(/nope-/);
    });

    it('/metrics needs the operator token when one is configured', async () => {
      expect((await fetch(`${gw.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${gw.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0000000000' } })).status).toBe(401);
      const ok = await fetch(`${gw.url}/metrics`, { headers: operator });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toMatch(/airlock_http_requests_total/);
    });

    it('/readyz says only ready or not to others, the details to the operator', async () => {
      expect(await (await fetch(`${gw.url}/readyz`)).json()).toEqual({ status: 'ready' });
      expect(await (await fetch(`${gw.url}/readyz`, { headers: { authorization: `Bearer ${analyst}` } })).json()).toEqual({ status: 'ready' });
      expect(await (await fetch(`${gw.url}/readyz`, { headers: operator })).json()).toMatchObject({ status: 'ready', policies: expect.arrayContaining(['admissions']) });
    });
  });

  describe('finding 9: requests are limited per JWT subject', () => {
    it(`request ${RATE_LIMIT + 1} of one subject gets 429 with Retry-After; another subject is not affected`, async () => {
      const flooder = await gw.token(['analyst'], 'flooder');
      const second = await gw.token(['analyst'], 'flooder'); // another token of the same subject shares the budget
      const statuses: number[] = [];
      for (let i = 0; i < RATE_LIMIT; i++) statuses.push((await post(i % 2 ? flooder : second, { query: '{ datasets { name } }' })).status);
      expect(statuses.every((s) => s === 200)).toBe(true);
      const res = await fetch(`${gw.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${flooder}` },
        body: JSON.stringify({ query: '{ datasets { name } }' }),
      });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await res.json()) as Posted['body']).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      const predict = await fetch(`${gw.url}/models/1/predict`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${flooder}` }, body: '{}' });
      expect(predict.status).toBe(429);
      const other = await post(await gw.token(['analyst'], 'someone-else'), { query: '{ datasets { name } }' });
      expect(other.status).toBe(200);
    });
  });
});
