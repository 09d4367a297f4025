/**
 * A monthly count of distinct patients by two dimensions over the demo admissions, through the
 * gateway over HTTP (token check, policy, one GROUP BY, suppression with its linear algebra,
 * audit event) against the same SQL run directly on the database, in the same run. Median of
 * repeated runs. 1,000,000 rows on PostgreSQL (quick: 20,000); embedded: 100,000 (quick: 5,000).
 */
import { quantile, type BenchContext, type BenchResult } from './harness.ts';
import { benchGateway } from './gateway-support.ts';

const QUERY = `{ admissions { aggregate(groupBy: [ward, sex], dateBucket: { column: admitted_at, grain: month }) {
  suppressedCount cells { ward sex period subjects rows suppressed } } } }`;

const SQL = `select ward::text as d0, sex::text as d1, to_char(date_trunc('month', (admitted_at at time zone 'UTC')), 'YYYY-MM') as period,
  count(distinct _subject)::int as subjects, count(*)::int as rows
  from restricted.admissions group by d0, d1, period order by d0, d1, period`;

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
      const token = await gw.token(['analyst']);
      const viaGateway: number[] = [];
      const direct: number[] = [];
      await gw.query(token, QUERY); // warm: schema built, plans cached
      for (let i = 0; i < repeats; i++) {
        let started = process.hrtime.bigint();
        const res = await gw.query(token, QUERY);
        if (!res.ok) throw new Error(`gateway answered ${res.status}`);
        viaGateway.push(Number(process.hrtime.bigint() - started) / 1e6);
        started = process.hrtime.bigint();
        await gw.directSql(SQL);
        direct.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      results.push({
        name: `monthly distinct patients by ward × sex (${kind}, ${rows.toLocaleString('en-US')} rows)`,
        figure: quantile(viaGateway, 0.5),
        unit: 'ms',
        baseline: { name: 'same SQL directly', figure: quantile(direct, 0.5) },
        notes: `median of ${repeats}; gateway over HTTP with JWT, suppression and audit; ratio = gateway/direct (aim ≤ 1.5)`,
      });
    } finally {
      await gw.close();
    }
  }
  return results;
}

