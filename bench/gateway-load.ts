/**
 * Load on the gateway at constant request rates (autocannon), for a records page and an
 * aggregate query: throughput, p50/p99 latency and errors per rate, and the highest rate whose
 * p99 stays under 100 ms. Baseline: the same rate against /healthz (HTTP stack alone, no token,
 * no database), so the ratio is the cost of Airlock's work per request. 30 s per rate (quick: 3 s).
 */
import autocannon from 'autocannon';
import type { BenchContext, BenchResult } from './harness.ts';
import { benchGateway } from './gateway-support.ts';

// Each aggregate request is a new question (its cost differs in the ninth decimal), so every one
// is a fresh release — noise, ledger charge and audit event — not an answer from the cache.
const QUERIES: Record<string, (i: number) => string> = {
  records: () => '{ admissions { records(first: 20) { nodes { mrn ward diagnosis admitted_at readmitted } } } }',
  aggregate: (i) =>
    `{ admissions { aggregate(groupBy: [ward], dateBucket: { column: admitted_at, grain: quarter }, from: "2022-01-01", to: "2025-12-31", cost: ${(0.001 + i * 1e-9).toFixed(9)}) { cells { ward period subjects suppressed } } } }`,
};
// Analysts the aggregate requests rotate over, so no budget runs out (ρ 0.25 each, 0.001 a query).
const ANALYSTS = 200;

interface Run {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const kind = ctx.pgAdminUrl ? 'postgres' : 'pglite';
  const rows = ctx.quick ? 5_000 : 50_000;
  const duration = ctx.quick ? 3 : 30;
  const rates = ctx.quick ? [20, 50] : [25, 50, 100, 200];
  ctx.log(`${kind}: loading ${rows} rows`);
  const gw = await benchGateway(kind, rows, ctx.pgAdminUrl);
  const results: BenchResult[] = [];
  try {
    const tokens = await Promise.all(Array.from({ length: ANALYSTS }, (_, i) => gw.token(['analyst'], `load-${i}`)));
    let sent = 0;
    for (const [name, query] of Object.entries(QUERIES)) {
      let sustained = 0;
      for (const rate of rates) {
        ctx.log(`${name} at ${rate} req/s for ${duration} s`);
        const airlock = await load(`${gw.url}/graphql`, rate, duration, {
          method: 'POST',
          setupRequest: (request) => {
            const i = sent++;
            return { ...request, headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % ANALYSTS]}` }, body: JSON.stringify({ query: query(i) }) };
          },
        });
        const health = await load(`${gw.url}/healthz`, rate, Math.min(duration, 5), { method: 'GET' });
        if (airlock.p99 < 100 && airlock.errors === 0) sustained = rate;
        results.push({
          name: `${name} at ${rate} req/s (${kind}, ${rows.toLocaleString('en-US')} rows): p99`,
          figure: airlock.p99,
          unit: 'ms',
          baseline: { name: 'GET /healthz at the same rate', figure: Math.max(health.p99, 0.01) },
          notes: `throughput ${airlock.rps.toFixed(0)} req/s, p50 ${airlock.p50} ms, errors ${airlock.errors}`,
        });
      }
      results.push({
        name: `${name}: highest tested rate with p99 < 100 ms and no errors (${kind})`,
        figure: sustained,
        unit: 'req/s',
        notes: `rates tried: ${rates.join(', ')}`,
      });
    }
  } finally {
    await gw.close();
  }
  return results;
}

async function load(url: string, rate: number, duration: number, request: { method: 'GET' | 'POST'; setupRequest?: autocannon.Request['setupRequest'] }): Promise<Run> {
  const { method, setupRequest } = request;
  const result = await autocannon({ url, connections: 10, overallRate: rate, duration, requests: [{ method, ...(setupRequest ? { setupRequest } : {}) }] });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts + result.non2xx };
}
