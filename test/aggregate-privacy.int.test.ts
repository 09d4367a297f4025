/**
 * Attacks on the thresholded aggregates, over HTTP with a real analyst token: random queries
 * (dimensions, grains, filters, date ranges), checking that no released cell is below min_count
 * and that no suppressed cell can be recovered from the released cells and every margin another
 * query could publish, by solving the linear system; and the classic "total minus one group"
 * across two queries.
 */
import { createRng } from '@airlock/core';
import { testDatabaseKinds } from '@airlock/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { determinedByElimination } from './support/linear-check.ts';
import { startGatewayHarness, type GatewayHarness } from './support/gateway-harness.ts';

const QUERIES = Number(process.env['AIRLOCK_PRIVACY_QUERIES'] ?? 10_000);
const MIN_COUNT = 11;
const DIMENSIONS = ['ward', 'diagnosis', 'sex'] as const;
const GRAINS = ['week', 'month', 'quarter', 'year'] as const;
const WARDS = ['cardiology', 'general_medicine', 'surgery', 'orthopedics', 'oncology', 'icu', 'maternity', 'psychiatry'];

interface Cell {
  ward?: string | null;
  diagnosis?: string | null;
  sex?: string | null;
  period?: string | null;
  subjects: number | null;
  rows: number | null;
  suppressed: boolean;
  reason: string | null;
}

describe.each(testDatabaseKinds())('aggregate privacy on %s', (kind) => {
  let gw: GatewayHarness;
  let token: string;
  // 10,000 in all: split between the two databases when both run.
  const kinds = testDatabaseKinds();
  const queries = kinds.length === 1 ? QUERIES : kind === 'pglite' ? Math.round(QUERIES * 0.7) : Math.round(QUERIES * 0.3);
  beforeAll(async () => {
    gw = await startGatewayHarness(kind, { demoRows: 3000 });
    token = await gw.token(['analyst']);
  }, 240_000);
  afterAll(() => gw?.close());

  it(`${queries} random queries: no released cell below min_count, no suppressed cell recoverable`, async () => {
    const rng = createRng(`privacy-${kind}`);
    let released = 0;
    let suppressed = 0;
    let checkedSystems = 0;
    const refused = { tooManyCells: 0, exposed: 0 };
    for (let q = 0; q < queries; q++) {
      const dims = rng.shuffle([...DIMENSIONS]).slice(0, rng.int(3));
      const bucket = rng.next() < 0.7 ? { column: rng.pick(['admitted_at', 'discharged_at']), grain: rng.pick(GRAINS) } : undefined;
      const where: Record<string, string[]> = {};
      if (rng.next() < 0.3) where['ward'] = rng.shuffle([...WARDS]).slice(0, 1 + rng.int(3));
      if (rng.next() < 0.2) where['sex'] = [rng.pick(['F', 'M'])];
      const range = bucket && rng.next() < 0.3 ? { from: `202${2 + rng.int(3)}-0${1 + rng.int(9)}-01`, to: `2025-0${1 + rng.int(9)}-28` } : {};
      const res = await gw.gql<{ admissions: { aggregate: { cells: Cell[]; minCount: number } } }>(
        token,
        `query($g: [AdmissionsDimension!], $b: AdmissionsDateBucket, $w: AdmissionsAggregateFilter, $from: String, $to: String) {
          admissions { aggregate(groupBy: $g, dateBucket: $b, where: $w, from: $from, to: $to) {
            minCount cells { ward diagnosis sex period subjects rows suppressed reason } } } }`,
        { g: dims, b: bucket ?? null, w: where, ...range },
      );
      if (res.errors) {
        // Refusals, not leaks: too many cells for one response, or a small cell no pattern can hide.
        const code = res.errors[0]!.extensions?.code;
        expect(['BAD_USER_INPUT', 'BELOW_THRESHOLD'], res.raw).toContain(code);
        if (code === 'BAD_USER_INPUT') expect(res.errors[0]!.message).toMatch(/more than \d+ cells/);
        refused[code === 'BELOW_THRESHOLD' ? 'exposed' : 'tooManyCells'] += 1;
        continue;
      }
      const cells = res.data!.admissions.aggregate.cells;
      for (const cell of cells) {
        if (cell.suppressed) {
          suppressed += 1;
          expect(cell.subjects).toBeNull();
          expect(cell.rows).toBeNull();
          expect(['below_min_count', 'complementary']).toContain(cell.reason);
        } else {
          released += 1;
          expect(cell.subjects!).toBeGreaterThanOrEqual(MIN_COUNT);
        }
      }
      if (cells.some((c) => c.suppressed) && cells.length <= 400) {
        checkedSystems += 1;
        const truth = await trueSubjects(gw, dims, bucket, where, range);
        expect(recoverable(cells, dims, bucket?.grain, truth), JSON.stringify({ dims, bucket, where, range })).toEqual([]);
      }
    }
    expect(released).toBeGreaterThan(queries);
    expect(suppressed).toBeGreaterThan(0);
    expect(checkedSystems).toBeGreaterThan(queries / 10);
    // Most queries are answered; refusals are the exception (counts printed for the record).
    console.info(`${kind}: ${queries} queries, ${released} cells released, ${suppressed} suppressed, refused: ${JSON.stringify(refused)}`);
    expect(refused.exposed + refused.tooManyCells).toBeLessThan(queries / 2);
  }, 1_800_000);

  it('"total minus one group" across two queries recovers nothing', async () => {
    const fine = await gw.gql<{ admissions: { aggregate: { cells: Cell[] } } }>(
      token,
      '{ admissions { aggregate(groupBy: [ward, sex], dateBucket: { column: admitted_at, grain: year }) { cells { ward sex period rows suppressed } } } }',
    );
    const coarse = await gw.gql<{ admissions: { aggregate: { cells: Cell[] } } }>(
      token,
      '{ admissions { aggregate(groupBy: [ward], dateBucket: { column: admitted_at, grain: year }) { cells { ward period rows suppressed } } } }',
    );
    const fineCells = fine.data!.admissions.aggregate.cells;
    expect(fineCells.some((c) => c.suppressed)).toBe(true);
    for (const total of coarse.data!.admissions.aggregate.cells.filter((c) => !c.suppressed)) {
      const group = fineCells.filter((c) => c.ward === total.ward && c.period === total.period);
      const hidden = group.filter((c) => c.suppressed);
      // One hidden cell in a group whose total is published would be total − the others.
      expect(hidden.length === 0 || hidden.length >= 2, `${total.ward} ${total.period}`).toBe(true);
    }
  });
});

const cellId = (dims: readonly string[], values: Record<string, unknown>) => JSON.stringify([...dims.map((d) => values[d] ?? null), values['period'] ?? null]);

const LABEL: Record<string, string> = { week: 'IYYY-"W"IW', month: 'YYYY-MM', quarter: 'YYYY-"Q"Q', year: 'YYYY' };

/** The true distinct-subject count of every cell, straight from the restricted table (no gateway code). */
async function trueSubjects(
  gw: GatewayHarness,
  dims: readonly string[],
  bucket: { column: string; grain: string } | undefined,
  where: Record<string, string[]>,
  range: { from?: string; to?: string },
): Promise<Map<string, number>> {
  const select = [...dims.map((d) => `${d}::text as ${d}`)];
  if (bucket) select.push(`to_char(date_trunc('${bucket.grain}', ${bucket.column} at time zone 'UTC'), '${LABEL[bucket.grain]}') as period`);
  const conditions = Object.entries(where).map(([col, values]) => `${col} in (${values.map((v) => `'${v}'`).join(', ')})`);
  if (bucket && range.from) conditions.push(`${bucket.column} >= '${range.from}'::date`);
  if (bucket && range.to) conditions.push(`${bucket.column} < '${range.to}'::date + 1`);
  const groups = [...dims, ...(bucket ? ['period'] : [])];
  const text = `select ${[...select, 'count(distinct _subject)::int as n'].join(', ')} from restricted.admissions
    ${conditions.length ? `where ${conditions.join(' and ')}` : ''} ${groups.length ? `group by ${groups.join(', ')}` : ''}`;
  const rows = await gw.database.bulk('restricted', (session) => session.query<Record<string, unknown>>(text));
  return new Map(rows.map((r) => [cellId(dims, r), Number(r['n'])]));
}

/**
 * Suppressed cells that an attacker could compute from the released cells plus every margin
 * (any roll-up over dimensions, over the period, or into coarser periods) that another query
 * could publish: one whose members' true subjects sum to at least min_count (an upper bound of
 * its own count, so this attacker knows at least as much as a real one).
 */
function recoverable(cells: readonly Cell[], dims: readonly string[], grain: string | undefined, truth: Map<string, number>): string[] {
  const id = (c: Cell) => cellId(dims, c as unknown as Record<string, unknown>);
  const unknowns = new Set(cells.filter((c) => c.suppressed).map(id));
  const subjectsBound = (c: Cell) => truth.get(id(c)) ?? Number.POSITIVE_INFINITY;
  const equations: string[][] = [];
  const periodModes: Array<(p: string | null | undefined) => string | null> = [(p) => p ?? null];
  if (grain) {
    periodModes.push(() => '*');
    if (grain === 'month') periodModes.push((p) => `${p!.slice(0, 4)}-Q${Math.floor((Number(p!.slice(5, 7)) - 1) / 3) + 1}`, (p) => p!.slice(0, 4));
    if (grain === 'quarter') periodModes.push((p) => p!.slice(0, 4));
    if (grain === 'week') periodModes.push((p) => p!.slice(0, 4));
  }
  for (let mask = 0; mask < 1 << dims.length; mask++) {
    for (const [m, mode] of periodModes.entries()) {
      if (mask === 0 && m === 0) continue; // the cells themselves
      const groups = new Map<string, Cell[]>();
      for (const c of cells) {
        const key = JSON.stringify([dims.map((d, i) => (mask & (1 << i) ? '*' : (c[d as keyof Cell] ?? null))), mode(c.period)]);
        groups.set(key, [...(groups.get(key) ?? []), c]);
      }
      for (const members of groups.values()) {
        const bound = members.reduce((s, c) => s + subjectsBound(c), 0);
        if (bound >= MIN_COUNT && members.some((c) => c.suppressed)) equations.push(members.map(id));
      }
    }
  }
  return determinedByElimination(equations, unknowns);
}
