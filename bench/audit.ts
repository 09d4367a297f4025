/**
 * Audit append throughput: hash-chained appends (lock, read head, hash, insert) against plain
 * INSERTs of the same rows into an unchained table, one transaction per event, sequential and
 * with 8 concurrent writers, on the embedded database and on PostgreSQL when one is available.
 */
import { createAuditLog, type AuditEventInput } from '@airlock/audit';
import { createTestDatabase, type TestDatabase } from '@airlock/testing';
import { sql } from 'kysely';
import { timeMs, type BenchContext, type BenchResult } from './harness.ts';

const event = (i: number): AuditEventInput => ({
  type: 'query',
  actor: `bench-user-${i % 17}`,
  roles: ['analyst'],
  action: 'admissionsMonthly',
  dataset: 'admissions',
  zone: 'aggregate',
  outcome: 'allowed',
  details: { rows: i % 100, suppressed: i % 7, documentHash: 'f'.repeat(64), durationMs: 12 },
});

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const kinds: Array<'pglite' | 'postgres'> = ctx.pgAdminUrl ? ['pglite', 'postgres'] : ['pglite'];
  for (const kind of kinds) {
    if (kind === 'postgres') process.env['AIRLOCK_TEST_PG_URL'] = ctx.pgAdminUrl;
    const n = ctx.quick ? 200 : kind === 'postgres' ? 4000 : 2000;
    const test = await createTestDatabase(kind);
    try {
      await prepareBaselineTable(test);
      for (const writers of [1, 8]) {
        ctx.log(`${kind}: ${n} events, ${writers} writer(s)`);
        const log = createAuditLog(test.database);
        const chained = await timeMs(() => runWriters(n, writers, (i) => log.append(event(i)).then(() => undefined)));
        const plain = await timeMs(() => runWriters(n, writers, (i) => plainInsert(test, event(i))));
        results.push({
          name: `audit append, ${writers === 1 ? 'sequential' : `${writers} concurrent writers`} (${kind})`,
          figure: (n / chained) * 1000,
          unit: 'events/s',
          baseline: { name: 'plain INSERT, unchained table', figure: (n / plain) * 1000 },
          notes: `${n} events, one transaction each`,
        });
      }
    } finally {
      await test.drop();
    }
  }
  return results;
}

async function runWriters(n: number, writers: number, write: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < n) await write(next++);
    }),
  );
}

async function prepareBaselineTable(test: TestDatabase): Promise<void> {
  await sql
    .raw(
      `set role airlock_owner;
       create table audit.plain_events (seq bigint generated always as identity primary key, at timestamptz not null,
         event_type text not null, actor text not null, roles text[] not null, action text not null, dataset text,
         zone text, outcome text not null, details jsonb not null);
       grant insert on audit.plain_events to airlock_audit;
       reset role;`,
    )
    .execute(test.owner);
}

async function plainInsert(test: TestDatabase, input: AuditEventInput): Promise<void> {
  await test.database.withZone(
    'audit',
    (trx) =>
      sql`insert into audit.plain_events (at, event_type, actor, roles, action, dataset, zone, outcome, details)
          values (${new Date()}, ${input.type}, ${input.actor}, ${input.roles as string[]}, ${input.action},
                  ${input.dataset ?? null}, ${input.zone ?? null}, ${input.outcome}, ${JSON.stringify(input.details ?? {})})`.execute(trx),
    { readOnly: false },
  );
}
