import { AirlockError, type DateGrain } from '@airlock/core';
import { sqlRunner, type ZoneTransaction } from '@airlock/db';
import type { ColumnType } from '@airlock/policy';
import type { BoundedMeasure, TrueCell } from '@airlock/privacy';
import { periodLabelSql, calendarDateSql } from './period.ts';
import { quoteIdent, zoneTable } from './sql-names.ts';
import { zoneReadError } from './zone-errors.ts';

/** What to read: the grouping, filters and window of an aggregate query, already validated. */
export interface AggregateSpec {
  dataset: string;
  groupBy: readonly string[];
  /** Dimension filters: the column's value must be one of these. */
  where: Readonly<Record<string, readonly (string | null)[]>>;
  dateBucket: { column: string; type: ColumnType; grain: DateGrain } | null;
  /** Window on the bucketed column, inclusive, YYYY-MM-DD, already aligned to whole periods. */
  from: string | null;
  to: string | null;
}

/** Exact figures of one cell (steward aggregates). */
export interface ExactCell {
  key: (string | null)[];
  subjects: number;
  rows: number;
  measures: Record<string, { sum: number | null; avg: number | null; min: number | null; max: number | null }>;
}

// Groups read for partition selection before the query is refused as too fine. A generous bound:
// each released group needs dozens of people, so a real answer never comes near it.
const MAX_TRUE_GROUPS = 200_000;

/**
 * The true figures of each non-empty cell, with contribution bounding: each subject keeps at most
 * `maxRowsPerSubject` rows, preferring rows in cells it has no row in yet (so the bound drops a
 * subject's repeat rows before it drops the subject from a cell); measures are clamped to their
 * bounds and summed on a grid of `unit`. Runs as the aggregate role, inside the caller's transaction.
 * A subject's first kept row in a cell is its `_repeat = 1` row, so counting those counts the
 * cell's distinct subjects without a DISTINCT (a hash aggregate instead of another sort).
 * More than {@link MAX_TRUE_GROUPS} groups throw what `tooManyGroups` builds (a refusal naming the query's parts).
 */
export async function readBoundedCells(trx: ZoneTransaction, spec: AggregateSpec, bounding: Bounding, tooManyGroups: (maxGroups: number) => AirlockError): Promise<TrueCell[]> {
  const { text, params, groups } = boundedCellsSql(spec, bounding);
  const rows = await run(trx, text, params, spec.dataset);
  if (rows.length > MAX_TRUE_GROUPS) throw tooManyGroups(MAX_TRUE_GROUPS);
  return rows.map((row) => ({
    key: keyOf(row, groups),
    subjects: Number(row['subjects']),
    rows: Number(row['rows']),
    sums: Object.fromEntries(bounding.sums.map((m, i) => [m.column, Number(row[`s${i}`] ?? 0)])),
  }));
}

/** Contribution bounds of a differentially private read. */
export interface Bounding {
  maxRowsPerSubject: number;
  sums: ReadonlyArray<BoundedMeasure & { unit: number }>;
}

/** The SQL of {@link readBoundedCells} (exported for the benchmark's same-SQL baseline). */
export function boundedCellsSql(spec: AggregateSpec, bounding: Bounding): { text: string; params: unknown[]; groups: string[] } {
  const { selects, groups, where, params } = shape(spec);
  const clamped = bounding.sums.map(
    (m, i) => `round(least(greatest(${quoteIdent(m.column)}::float8, ${Number(m.min)}), ${Number(m.max)}) / ${Number(m.unit)}) as v${i}`,
  );
  const cell = groups.length ? groups.join(', ') : "''";
  const text = `
    with labelled as (
      select _subject, _row_id, ${[...selects, ...clamped].join(', ') || 'null as none'} from ${zoneTable('restricted', spec.dataset)}${where}
    ), ranked as (
      select *, row_number() over (partition by _subject, ${cell} order by _row_id) as _repeat from labelled
    ), bounded as (
      select * from (select *, row_number() over (partition by _subject order by _repeat, _row_id) as _kept from ranked) r
      where _kept <= ${Math.floor(bounding.maxRowsPerSubject)}
    )
    select ${[...groups, 'count(*) filter (where _repeat = 1)::int as subjects', 'count(*)::int as rows', ...bounding.sums.map((_, i) => `coalesce(sum(v${i}), 0)::float8 as s${i}`)].join(', ')}
    from bounded${groups.length ? ` group by ${groups.join(', ')}` : ''}
    limit ${MAX_TRUE_GROUPS + 1}`;
  return { text, params, groups };
}

/** Exact figures per cell, no bounding or clamping: for steward roles, who may read raw rows. */
export async function readExactCells(trx: ZoneTransaction, spec: AggregateSpec, measures: readonly string[], maxCells: number): Promise<ExactCell[]> {
  const { selects, groups, where, params } = shape(spec);
  const stats = measures.flatMap((m, i) => {
    const c = quoteIdent(m);
    return [`sum(${c})::float8 as m${i}_sum`, `avg(${c})::float8 as m${i}_avg`, `min(${c})::float8 as m${i}_min`, `max(${c})::float8 as m${i}_max`];
  });
  const text = `select ${[...selects, 'count(distinct _subject)::int as subjects', 'count(*)::int as rows', ...stats].join(', ')}
    from ${zoneTable('restricted', spec.dataset)}${where}${groups.length ? ` group by ${groups.join(', ')} order by ${groups.join(', ')}` : ''}
    limit ${maxCells + 1}`;
  const rows = await run(trx, text, params, spec.dataset);
  if (rows.length > maxCells) {
    const parts = [...spec.groupBy, ...(spec.dateBucket ? [spec.dateBucket.grain] : [])];
    throw new AirlockError(
      'BAD_REQUEST',
      `Grouping by ${parts.join(' × ') || 'nothing'} gives more than ${maxCells} cells with data. Drop a dimension, use a coarser date grain, or filter.`,
      { details: { reason: 'TOO_MANY_CELLS', maxCells, groupBy: spec.groupBy, grain: spec.dateBucket?.grain ?? null } },
    );
  }
  return rows.map((row) => ({
    key: keyOf(row, groups),
    subjects: Number(row['subjects']),
    rows: Number(row['rows']),
    measures: Object.fromEntries(
      measures.map((m, i) => [m, { sum: num(row[`m${i}_sum`]), avg: num(row[`m${i}_avg`]), min: num(row[`m${i}_min`]), max: num(row[`m${i}_max`]) }]),
    ),
  }));
}

/** The SELECT list of group labels, their names, and the WHERE clause with its parameters. */
function shape(spec: AggregateSpec): { selects: string[]; groups: string[]; where: string; params: unknown[] } {
  const selects = spec.groupBy.map((d, i) => `${quoteIdent(d)}::text as d${i}`);
  const groups = spec.groupBy.map((_, i) => `d${i}`);
  if (spec.dateBucket) {
    selects.push(`${periodLabelSql(spec.dateBucket.column, spec.dateBucket.type, spec.dateBucket.grain)} as period`);
    groups.push('period');
  }
  const params: unknown[] = [];
  const conditions: string[] = [];
  for (const [column, values] of Object.entries(spec.where)) {
    const named = values.filter((v): v is string => v !== null);
    params.push(named);
    const nullable = values.length !== named.length ? ` or ${quoteIdent(column)} is null` : '';
    conditions.push(`(${quoteIdent(column)}::text = any($${params.length}::text[])${nullable})`);
  }
  if (spec.dateBucket && spec.from) {
    params.push(spec.from);
    conditions.push(`${calendarDateSql(spec.dateBucket.column, spec.dateBucket.type)} >= $${params.length}::date`);
  }
  if (spec.dateBucket && spec.to) {
    params.push(spec.to);
    conditions.push(`${calendarDateSql(spec.dateBucket.column, spec.dateBucket.type)} <= $${params.length}::date`);
  }
  return { selects, groups, where: conditions.length ? ` where ${conditions.join(' and ')}` : '', params };
}

async function run(trx: ZoneTransaction, text: string, params: unknown[], dataset: string): Promise<Record<string, unknown>[]> {
  try {
    return await sqlRunner(trx).query<Record<string, unknown>>(text, params);
  } catch (error) {
    throw zoneReadError(error, 'aggregate', dataset);
  }
}

function keyOf(row: Record<string, unknown>, groups: readonly string[]): (string | null)[] {
  return groups.map((g) => (row[g] as string | null) ?? null);
}

/** Floating-point sums carry noise like 332132.44999999995; six decimals are plenty. */
function num(value: unknown): number | null {
  return value === null || value === undefined ? null : Math.round(Number(value) * 1e6) / 1e6;
}
