/**
 * A monthly count of distinct patients by ward × sex over the demo admissions (every month of
 * 2022–2025 declared, so every cell is returned), through the gateway over HTTP — token check,
 * policy, contribution-bounded GROUP BY, discrete Gaussian noise, ledger charge, cached answer and
 * audit event in one transaction — against the same bounded SQL run directly, in the same run.
 * Each gateway run is a new analyst, so every answer is a fresh release, never the cache.
 * Median of repeated runs. 1,000,000 rows on PostgreSQL (quick: 20,000); embedded: 100,000 (quick: 5,000).
 */
import { boundedCellsSql } from '@airlock/gateway';
import { quantile, type BenchContext, type BenchResult } from './harness.ts';
import { benchGateway } from './gateway-support.ts';

const QUERY = `{ admissions { aggregate(groupBy: [ward, sex], dateBucket: { column: admitted_at, grain: month }, from: "2022-01-01", to: "2025-12-31") {
  suppressedCount cells { ward sex period subjects subjectsInterval { low high } suppressed } } } }`;

const { text: SQL, params: PARAMS } = boundedCellsSql(
  { dataset: 'admissions', groupBy: ['ward', 'sex'], where: {}, dateBucket: { column: 'admitted_at', type: 'timestamp', grain: 'month' }, from: '2022-01-01', to: '2025-12-31' },
  { maxRowsPerSubject: 5, sums: [] },
);

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const plan: Array<['postgres' | 'pglite', number]> = [];
  if (ctx.pgAdminUrl) plan.push(['postgres', ctx.quick ? 20_000 : 1_000_000]);
  plan.push(['pglite', ctx.quick ? 5_000 : 100_000]);
  const repeats = ctx.quick ? 5 : 15;
  for (const [kind, rows] of plan) {
    ctx.log(`${kind}: loading ${rows} rows`);
    const gw = await benchGateway(kind, rows, ctx.pgAdminUrl);
    try {
      const viaGateway: number[] = [];
      const direct: number[] = [];
      await gw.query(await gw.token(['analyst'], 'warm-up'), QUERY); // schema built, plans cached
      for (let i = 0; i < repeats; i++) {
        const token = await gw.token(['analyst'], `bench-${i}`);
        let started = process.hrtime.bigint();
        const res = await gw.query(token, QUERY);
        const body = (await res.json()) as { errors?: unknown };
        if (!res.ok || body.errors) throw new Error(`gateway answered ${res.status}: ${JSON.stringify(body.errors)}`);
        viaGateway.push(Number(process.hrtime.bigint() - started) / 1e6);
        started = process.hrtime.bigint();
        await gw.directSql(SQL, PARAMS);
        direct.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      results.push({
        name: `DP monthly distinct patients by ward × sex (${kind}, ${rows.toLocaleString('en-US')} rows)`,
        figure: quantile(viaGateway, 0.5),
        unit: 'ms',
        baseline: { name: 'same bounded SQL directly', figure: quantile(direct, 0.5) },
        notes: `median of ${repeats}; gateway over HTTP with JWT, noise, ledger and audit; ratio = gateway/direct (aim ≤ 1.2)`,
      });
    } finally {
      await gw.close();
    }
  }
  return results;
}
