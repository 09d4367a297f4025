/**
 * Ingest throughput: demo admissions end to end (parse, check, tokenize, seal, deidentify, COPY
 * both zones, audit) against a raw COPY of the same CSV into an untransformed all-text table, in
 * the same run on the same database; and the ingest's peak memory. 1,000,000 rows on PostgreSQL;
 * the embedded figure on 100,000 rows (AIRLOCK_BENCH_QUICK: 20,000 / 5,000).
 */
import { DEMO_COLUMNS } from '@airlock/demo';
import { sql } from 'kysely';
import type { BenchContext, BenchResult } from './harness.ts';
import { demoCsv, loadDemo, scratchDatabase } from './support.ts';

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const plan: Array<['postgres' | 'pglite', number]> = [];
  if (ctx.pgAdminUrl) plan.push(['postgres', ctx.quick ? 20_000 : 1_000_000]);
  plan.push(['pglite', ctx.quick ? 5_000 : 100_000]);
  for (const [kind, rows] of plan) {
    ctx.log(`${kind}: writing ${rows} demo rows`);
    const file = await demoCsv(rows);
    const test = await scratchDatabase(kind, ctx.pgAdminUrl);
    try {
      ctx.log(`${kind}: raw COPY baseline`);
      const rawSeconds = await rawCopy(test, file);
      ctx.log(`${kind}: ingest`);
      const rssBefore = process.memoryUsage().rss;
      let peak = rssBefore;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
      const started = process.hrtime.bigint();
      const summary = await loadDemo(test, file);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      clearInterval(sampler);
      if (summary.loaded !== rows) throw new Error(`ingest loaded ${summary.loaded} of ${rows}`);
      results.push({
        name: `ingest demo admissions (${kind}, ${rows.toLocaleString('en-US')} rows)`,
        figure: rows / seconds,
        unit: 'rows/s',
        baseline: { name: 'raw COPY, untransformed', figure: rows / rawSeconds },
        notes: `ingest ${seconds.toFixed(1)} s vs COPY ${rawSeconds.toFixed(1)} s; ratio is Airlock/raw (lower = slower)`,
      });
      results.push({
        name: `ingest peak RSS (${kind}, ${rows.toLocaleString('en-US')} rows)`,
        figure: peak / 2 ** 20,
        unit: 'MB',
        baseline: { name: 'RSS before ingest', figure: rssBefore / 2 ** 20 },
        notes: 'process resident set, sampled every 50 ms',
      });
    } finally {
      await test.drop();
    }
  }
  return results;
}

/** COPY the CSV as is into an all-text table: the fastest load the database can do. */
async function rawCopy(test: Awaited<ReturnType<typeof scratchDatabase>>, file: string): Promise<number> {
  const columns = DEMO_COLUMNS.map((c) => `${c} text`).join(', ');
  await sql.raw(`set role airlock_owner; create table restricted.raw_admissions (${columns}); reset role`).execute(test.owner);
  const started = process.hrtime.bigint();
  await test.database.bulk('restricted', (session) => session.copyCsvFile('restricted.raw_admissions', file));
  return Number(process.hrtime.bigint() - started) / 1e9;
}
