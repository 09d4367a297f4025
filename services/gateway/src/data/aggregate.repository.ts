import { AirlockError, type DateGrain } from '@airlock/core';
import { sqlRunner, type AirlockDatabase, type SqlRunner } from '@airlock/db';
import { minMaxReleasable, standardMargins, suppressCells, type CubeCellKey } from '@airlock/disclosure';
import type { AggregateRules, DatasetPolicy } from '@airlock/policy';
import { allowedGrains, periodLabelSql, periodParents } from './period.ts';
import { quoteIdent, zoneTable } from './sql-names.ts';

export interface AggregateQuery {
  groupBy: readonly string[];
  dateBucket?: { column: string; grain: DateGrain } | undefined;
  /** Dimension filters: the column's value must be one of the listed values. */
  where?: Readonly<Record<string, readonly string[]>> | undefined;
  /** Inclusive date range on the bucketed column, 'YYYY-MM-DD'. */
  from?: string | undefined;
  to?: string | undefined;
  /** Compute the holders of minima and maxima (only when the caller asked for min/max). */
  extremes: boolean;
}

export interface MeasureValues {
  sum: number | null;
  avg: number | null;
  min: number | null;
  max: number | null;
}

export interface AggregateCell {
  dims: Record<string, string | null>;
  period: string | null;
  subjects: number | null;
  rows: number | null;
  measures: Record<string, MeasureValues>;
  suppressed: boolean;
  reason: string | null;
}

export interface AggregateResult {
  cells: AggregateCell[];
  suppressedCount: number;
  minCount: number;
  grain: DateGrain | null;
}

interface RawCell {
  key: string;
  dims: (string | null)[];
  period: string | null;
  subjects: number;
  rows: number;
  measures: Record<string, MeasureValues>;
  holders: Record<string, { min: number; max: number }>;
}

/**
 * Thresholded aggregates over full-precision restricted data, read as the aggregate role (which
 * has column grants on the subject token, dimensions, dates and measures only). One GROUP BY
 * query gives the cells; @airlock/disclosure then suppresses cells below `minCount` and, by exact
 * linear algebra, enough complementary cells that none can be recovered from the released cells
 * plus any margin another query could publish. Margins are treated as published whenever the sum
 * of their members' distinct subjects reaches `minCount` — an upper bound on their true count, so
 * the attacker is assumed to know at least as much as they could, never less.
 */
export async function queryAggregate(
  database: AirlockDatabase,
  policy: DatasetPolicy,
  rules: AggregateRules,
  query: AggregateQuery,
  limits: { maxCells: number; statementTimeoutMs: number },
): Promise<AggregateResult> {
  validate(policy, rules, query);
  const columnType = (name: string) => policy.columns.find((c) => c.name === name)!.type;
  const dims = query.groupBy;
  const selects = dims.map((d, i) => `${quoteIdent(d)}::text as d${i}`);
  const groups = dims.map((_, i) => `d${i}`);
  if (query.dateBucket) {
    selects.push(`${periodLabelSql(query.dateBucket.column, columnType(query.dateBucket.column), query.dateBucket.grain)} as period`);
    groups.push('period');
  }
  const params: unknown[] = [];
  const conditions: string[] = [];
  for (const [column, values] of Object.entries(query.where ?? {})) {
    params.push([...values]);
    conditions.push(`${quoteIdent(column)}::text = any($${params.length}::text[])`);
  }
  if (query.dateBucket && query.from) {
    params.push(query.from);
    conditions.push(`${quoteIdent(query.dateBucket.column)} >= $${params.length}::date`);
  }
  if (query.dateBucket && query.to) {
    params.push(query.to);
    conditions.push(`${quoteIdent(query.dateBucket.column)} < ($${params.length}::date + 1)`);
  }
  const measureSql = rules.measures.flatMap((m, i) => {
    const c = quoteIdent(m);
    return [`sum(${c})::float8 as m${i}_sum`, `avg(${c})::float8 as m${i}_avg`, `min(${c})::float8 as m${i}_min`, `max(${c})::float8 as m${i}_max`];
  });
  const from = `${zoneTable('restricted', policy.dataset)}${conditions.length ? ` where ${conditions.join(' and ')}` : ''}`;
  const groupBy = groups.length ? ` group by ${groups.join(', ')} order by ${groups.join(', ')}` : '';
  const text = `select ${[...selects, 'count(distinct _subject)::int as subjects', 'count(*)::int as rows', ...measureSql].join(', ')}
    from ${from}${groupBy} limit ${limits.maxCells + 1}`;

  const raw = await database.withZone(
    'aggregate',
    async (trx) => {
      const runner = sqlRunner(trx);
      const rows = await runner.query<Record<string, unknown>>(text, params);
      if (rows.length > limits.maxCells) {
        throw new AirlockError(
          'BAD_REQUEST',
          `The query would return more than ${limits.maxCells} cells. Group by fewer dimensions, use a coarser date grain, or filter.`,
        );
      }
      const cells = rows.map((row) => toRawCell(row, dims.length, rules.measures, !!query.dateBucket));
      if (query.extremes && cells.length > 0 && rules.measures.length > 0) {
        const holders = await extremeHolders(runner, selects, groups, from, params, rules.measures);
        for (const cell of cells) Object.assign(cell.holders, holders.get(cell.key) ?? {});
      }
      return cells;
    },
    { statementTimeoutMs: limits.statementTimeoutMs },
  );
  return release(raw, rules, dims, query);
}

function toRawCell(row: Record<string, unknown>, dimCount: number, measures: readonly string[], hasPeriod: boolean): RawCell {
  const dims = Array.from({ length: dimCount }, (_, i) => (row[`d${i}`] as string | null) ?? null);
  const period = hasPeriod ? ((row['period'] as string | null) ?? null) : null;
  const values: Record<string, MeasureValues> = {};
  measures.forEach((m, i) => {
    values[m] = { sum: num(row[`m${i}_sum`]), avg: num(row[`m${i}_avg`]), min: num(row[`m${i}_min`]), max: num(row[`m${i}_max`]) };
  });
  return { key: JSON.stringify([dims, period]), dims, period, subjects: Number(row['subjects']), rows: Number(row['rows']), measures: values, holders: {} };
}

/** Distinct subjects holding each cell's minimum and maximum of each measure. */
async function extremeHolders(
  runner: SqlRunner,
  selects: string[],
  groups: string[],
  from: string,
  params: unknown[],
  measures: readonly string[],
): Promise<Map<string, Record<string, { min: number; max: number }>>> {
  const partition = groups.length ? `partition by ${groups.join(', ')}` : '';
  const values = measures.map((m, i) => `${quoteIdent(m)} as v${i}`);
  const windows = measures.flatMap((_, i) => [`min(v${i}) over (${partition}) as lo${i}`, `max(v${i}) over (${partition}) as hi${i}`]);
  const counts = measures.flatMap((_, i) => [
    `count(distinct _subject) filter (where v${i} = lo${i})::int as lo${i}`,
    `count(distinct _subject) filter (where v${i} = hi${i})::int as hi${i}`,
  ]);
  // Labels first, then windows over them, then one row per cell.
  const labelled = `select ${[...selects, '_subject', ...values].join(', ')} from ${from}`;
  const windowed = `select *, ${windows.join(', ')} from (${labelled}) l`;
  const text = `select ${[...groups, ...counts].join(', ')} from (${windowed}) w${groups.length ? ` group by ${groups.join(', ')}` : ''}`;
  const rows = await runner.query<Record<string, unknown>>(text, params);
  const out = new Map<string, Record<string, { min: number; max: number }>>();
  for (const row of rows) {
    const dims = groups.filter((g) => g !== 'period').map((g) => (row[g] as string | null) ?? null);
    const period = groups.includes('period') ? ((row['period'] as string | null) ?? null) : null;
    const holders: Record<string, { min: number; max: number }> = {};
    measures.forEach((m, i) => (holders[m] = { min: Number(row[`lo${i}`]), max: Number(row[`hi${i}`]) }));
    out.set(JSON.stringify([dims, period]), holders);
  }
  return out;
}

function release(raw: RawCell[], rules: AggregateRules, dims: readonly string[], query: AggregateQuery): AggregateResult {
  const grain = query.dateBucket?.grain ?? null;
  const keys: CubeCellKey[] = raw.map((cell) => ({
    id: cell.key,
    dims: cell.dims,
    ...(grain ? { period: cell.period ?? 'null' } : {}),
  }));
  const byId = new Map(raw.map((cell) => [cell.key, cell]));
  const margins = standardMargins(keys, grain ? { periodParents: (label) => (label === 'null' ? [] : periodParents(grain, label)) } : {}).map((m) => ({
    id: m.id,
    members: m.members,
    // Upper bound of the margin's distinct subjects: assume it is published when it could be.
    distinctSubjects: m.members.reduce((sum, id) => sum + byId.get(id)!.subjects, 0),
  }));
  const result = suppressCells({
    cells: raw.map((cell) => ({ id: cell.key, distinctSubjects: cell.subjects, weight: cell.rows })),
    margins,
    minCount: rules.minCount,
  });
  if (result.exposed.length > 0) {
    // Some small cell equals a combination of totals other queries publish, whatever else is
    // hidden: no suppression pattern protects it, so the response is refused as a whole.
    throw new AirlockError(
      'BELOW_THRESHOLD',
      'This breakdown would expose a cell below the minimum count through totals other queries publish. Group by fewer dimensions, use a coarser grain, or widen the filters.',
    );
  }
  const cells = raw.map((cell): AggregateCell => {
    const status = result.status.get(cell.key)!;
    const dimValues = Object.fromEntries(dims.map((d, i) => [d, cell.dims[i] ?? null]));
    if (status.kind === 'suppressed') {
      const empty = Object.fromEntries(Object.keys(cell.measures).map((m) => [m, { sum: null, avg: null, min: null, max: null }]));
      return { dims: dimValues, period: cell.period, subjects: null, rows: null, measures: empty, suppressed: true, reason: status.reason };
    }
    const measures: Record<string, MeasureValues> = {};
    for (const [m, values] of Object.entries(cell.measures)) {
      const holders = cell.holders[m];
      measures[m] = {
        sum: values.sum,
        avg: values.avg,
        min: holders && minMaxReleasable(holders.min, rules.minCount) ? values.min : null,
        max: holders && minMaxReleasable(holders.max, rules.minCount) ? values.max : null,
      };
    }
    return { dims: dimValues, period: cell.period, subjects: cell.subjects, rows: cell.rows, measures, suppressed: false, reason: null };
  });
  return { cells, suppressedCount: result.primary + result.complementary, minCount: rules.minCount, grain };
}

function validate(policy: DatasetPolicy, rules: AggregateRules, query: AggregateQuery): void {
  const bad = query.groupBy.filter((d) => !rules.dimensions.includes(d));
  if (bad.length) throw new AirlockError('BAD_REQUEST', `Cannot group ${policy.dataset} by ${bad.join(', ')}; allowed dimensions: ${rules.dimensions.join(', ')}.`);
  if (new Set(query.groupBy).size !== query.groupBy.length) throw new AirlockError('BAD_REQUEST', 'groupBy lists a dimension twice.');
  for (const column of Object.keys(query.where ?? {})) {
    if (!rules.dimensions.includes(column)) throw new AirlockError('BAD_REQUEST', `Cannot filter ${policy.dataset} on ${column}; filter on: ${rules.dimensions.join(', ')}.`);
  }
  if (query.dateBucket) {
    if (!rules.dateColumns.includes(query.dateBucket.column)) {
      throw new AirlockError('BAD_REQUEST', `Cannot bucket ${policy.dataset} by ${query.dateBucket.column}; date columns: ${rules.dateColumns.join(', ') || '(none)'}.`);
    }
    const grains = allowedGrains(rules.finestDateGrain);
    if (!grains.includes(query.dateBucket.grain)) {
      throw new AirlockError('BAD_REQUEST', `The policy of ${policy.dataset} allows date grains ${grains.join(', ')}; "${query.dateBucket.grain}" is finer.`);
    }
  } else if (query.from || query.to) {
    throw new AirlockError('BAD_REQUEST', 'A date range (from/to) needs a dateBucket column to apply to.');
  }
  for (const bound of [query.from, query.to]) {
    if (bound !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(bound)) throw new AirlockError('BAD_REQUEST', `Date bound "${bound}" must be YYYY-MM-DD.`);
  }
}

/** Floating-point sums carry noise like 332132.44999999995; six decimals are plenty. */
function num(value: unknown): number | null {
  return value === null || value === undefined ? null : Math.round(Number(value) * 1e6) / 1e6;
}
