import { AirlockError } from '@airlock/core';

/** The group-by key of one response cell. */
export interface CubeCellKey {
  id: string;
  /** The cell's value of each grouped dimension, in the query's order; null is SQL NULL, its own group. */
  dims: readonly (string | null)[];
  /** Date period label of the cell (e.g. '2024-03' or '2024-W09'), if the query has a date bucket. */
  period?: string;
}

export interface StandardMarginOptions {
  /**
   * Labels of the coarser date buckets that wholly contain a period, e.g. month '2024-03' →
   * ['2024-Q1', '2024']. A week that straddles two months has no month parent (it would not be a
   * sum of whole cells); ISO weeks nest in ISO years only. Labels must differ from every cell's
   * own period label.
   */
  periodParents?: (period: string) => readonly string[];
}

/** One roll-up of the response that another query can publish. */
export interface StandardMargin {
  /** Stable id, see {@link marginId}. */
  id: string;
  /** Ids of the response cells it sums, in input order. */
  members: string[];
  /** Indices of the dimensions summed over, ascending. */
  dropDims: number[];
  /** True when summed over all periods of the response. */
  dropPeriod: boolean;
  /** The margin's period at the query's own grain, when only dimensions are dropped. */
  period?: string;
  /** The coarser bucket the periods are rolled into. */
  coarserPeriod?: string;
}

/** Where a margin sits in the cube: which dimensions it keeps, their values, and its period. */
export interface MarginKey {
  /** Indices of the dimensions the margin keeps, ascending. */
  keptDims: readonly number[];
  /** The margin's value of each kept dimension, aligned with `keptDims`. */
  values: readonly (string | null)[];
  /**
   * Omitted when the query has no date bucket; `'*'` when summed over all periods; otherwise the
   * period label (the query's grain or a coarser bucket).
   */
  period?: string;
}

/**
 * 2^6 dimension subsets times the period modes is still small; more dimensions than that is far
 * beyond what a policy allows a query to group by, so it is treated as a bug in the caller.
 */
const MAX_DIMS = 6;

/**
 * The id of a margin, so the gateway can name the row of a GROUPING SETS result the same way
 * {@link standardMargins} does. Exact format, parts joined by `|`:
 *
 * - `dims=<kept dimension indices, ascending, comma-separated; empty when all are dropped>`
 * - `period=<'*' when summed over all periods, else the period label>` — present only when the
 *   query has a date bucket
 * - `key=<JSON.stringify of the kept dimensions' values, in index order>` (null stays `null`)
 *
 * Examples: `dims=0,2|period=2024-Q1|key=["F","north"]`, `dims=1|key=[null]`, the grand total of a
 * query with a date bucket `dims=|period=*|key=[]`. Period labels never contain `|` and are never
 * `*` ({@link standardMargins} checks), so ids are unambiguous.
 */
export function marginId(key: MarginKey): string {
  if (key.values.length !== key.keptDims.length) {
    throw new AirlockError('BAD_REQUEST', `margin key has ${key.keptDims.length} kept dimensions but ${key.values.length} values; give one value per kept dimension`);
  }
  const period = key.period === undefined ? '' : `|period=${key.period}`;
  return `dims=${key.keptDims.join(',')}${period}|key=${JSON.stringify(key.values)}`;
}

/**
 * Every margin an attacker can obtain for a response grouped by dimensions D (and optionally a
 * date period): for each non-empty subset of D dropped (all 2^n − 1 roll-ups, the grand total
 * included), with the period kept; for every subset of D (including none), with the period dropped;
 * and for every subset of D (including none), with the periods rolled into each coarser bucket from
 * `periodParents`. Without a date bucket only the 2^n − 1 dimension roll-ups remain.
 *
 * Margins are returned sorted by id; groups that would be empty do not exist (absent cells are
 * zero). Each margin's distinct-subject count is the gateway's to fetch (GROUPING SETS), counted as
 * the query that would publish it counts: a coarser bucket over the whole bucket, even where the
 * response's date range covers only part of it. Including such a bucket as a sum of just the
 * response's cells assumes the attacker knows the rest of the bucket, which is the safe side.
 *
 * Throws `BAD_REQUEST` for duplicate cell ids or group keys, cells with differing numbers of
 * dimensions, more than 6 dimensions, a period on some cells only, or a period label that is empty,
 * `*`, contains `|`, or (from `periodParents`) equals a cell's own period label.
 */
export function standardMargins(cells: readonly CubeCellKey[], options: StandardMarginOptions = {}): StandardMargin[] {
  if (cells.length === 0) return [];
  const dimCount = cells[0]!.dims.length;
  const hasPeriod = cells[0]!.period !== undefined;
  const cellLabels = validateCells(cells, dimCount, hasPeriod);
  const parentsOf = hasPeriod ? periodParentsOf(cells, cellLabels, options.periodParents) : new Map<string, string[]>();

  // Labels get small numbers so that a margin is found by a numeric key (group × period mode);
  // its id string is built once, when the margin is first met. Period modes: 0..L−1 keep the
  // query's own label, L drops the period, L+1.. roll into a coarser bucket.
  const labels = [...cellLabels];
  const parentLabels = [...new Set([...parentsOf.values()].flat())];
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const parentIndex = new Map(parentLabels.map((label, i) => [label, i]));
  const modeCount = hasPeriod ? labels.length + 1 + parentLabels.length : 1;
  const valueCodes = Array.from({ length: dimCount }, (_, d) => {
    const codes = new Map<string | null, number>();
    return cells.map((cell) => {
      const value = cell.dims[d]!;
      let code = codes.get(value);
      if (code === undefined) codes.set(value, (code = codes.size));
      return code;
    });
  });

  const margins: StandardMargin[] = [];
  for (let mask = 0; mask < 1 << dimCount; mask++) {
    const dropDims: number[] = [];
    const keptDims: number[] = [];
    for (let d = 0; d < dimCount; d++) (mask & (1 << d) ? dropDims : keptDims).push(d);
    const groups = new Map<string, number>();
    const byKey = new Map<number, StandardMargin>();
    const add = (cellIndex: number, group: number, mode: number): void => {
      const key = group * modeCount + mode;
      let margin = byKey.get(key);
      if (margin === undefined) {
        const cell = cells[cellIndex]!;
        const values = keptDims.map((d) => cell.dims[d]!);
        const dropPeriod = hasPeriod && mode === labels.length;
        const label = !hasPeriod || dropPeriod ? undefined : mode < labels.length ? labels[mode]! : parentLabels[mode - labels.length - 1]!;
        margin = { id: marginId({ keptDims, values, period: dropPeriod ? '*' : label }), members: [], dropDims: [...dropDims], dropPeriod };
        if (label !== undefined && mode < labels.length) margin.period = label;
        if (label !== undefined && mode > labels.length) margin.coarserPeriod = label;
        byKey.set(key, margin);
        margins.push(margin);
      }
      margin.members.push(cells[cellIndex]!.id);
    };
    cells.forEach((cell, i) => {
      const groupKey = keptDims.map((d) => valueCodes[d]![i]!).join(',');
      let group = groups.get(groupKey);
      if (group === undefined) groups.set(groupKey, (group = groups.size));
      if (!hasPeriod) {
        if (mask !== 0) add(i, group, 0);
        return;
      }
      const label = cell.period!;
      // Keeping every dimension and the period is the cell itself, not a margin.
      if (mask !== 0) add(i, group, labelIndex.get(label)!);
      add(i, group, labels.length);
      for (const parent of parentsOf.get(label)!) add(i, group, labels.length + 1 + parentIndex.get(parent)!);
    });
  }
  return margins.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}


function validateCells(cells: readonly CubeCellKey[], dimCount: number, hasPeriod: boolean): Set<string> {
  if (dimCount > MAX_DIMS) {
    throw new AirlockError('BAD_REQUEST', `a response grouped by ${dimCount} dimensions has too many roll-ups to check; group by at most ${MAX_DIMS}`);
  }
  const ids = new Set<string>();
  const keys = new Set<string>();
  const labels = new Set<string>();
  for (const cell of cells) {
    if (ids.has(cell.id)) throw new AirlockError('BAD_REQUEST', `cell id "${cell.id}" appears twice; give every response cell a unique id`);
    ids.add(cell.id);
    if (cell.dims.length !== dimCount) {
      throw new AirlockError('BAD_REQUEST', `cell "${cell.id}" has ${cell.dims.length} dimensions, the first cell ${dimCount}; every cell needs one value per grouped dimension`);
    }
    if ((cell.period !== undefined) !== hasPeriod) {
      throw new AirlockError('BAD_REQUEST', `cell "${cell.id}" ${hasPeriod ? 'lacks' : 'has'} a period unlike the first cell; give all cells a period or none`);
    }
    if (cell.period !== undefined) {
      assertLabel(cell.period, `cell "${cell.id}" period`);
      labels.add(cell.period);
    }
    const key = JSON.stringify([cell.dims, cell.period ?? null]);
    if (keys.has(key)) throw new AirlockError('BAD_REQUEST', `cell "${cell.id}" repeats the group key of another cell; a group-by yields one cell per key`);
    keys.add(key);
  }
  return labels;
}

function periodParentsOf(
  cells: readonly CubeCellKey[],
  cellLabels: ReadonlySet<string>,
  periodParents: ((period: string) => readonly string[]) | undefined,
): Map<string, string[]> {
  const parentsOf = new Map<string, string[]>();
  for (const cell of cells) {
    const label = cell.period!;
    if (parentsOf.has(label)) continue;
    const parents = [...new Set(periodParents?.(label) ?? [])];
    for (const parent of parents) {
      assertLabel(parent, `periodParents('${label}') label`);
      if (cellLabels.has(parent)) {
        // The id could not tell the coarser bucket from the cells' own period of that name.
        throw new AirlockError('BAD_REQUEST', `periodParents('${label}') returned "${parent}", which is a cell period label; return only coarser buckets`);
      }
    }
    parentsOf.set(label, parents);
  }
  return parentsOf;
}

function assertLabel(label: string, what: string): void {
  if (label === '' || label === '*' || label.includes('|')) {
    throw new AirlockError('BAD_REQUEST', `${what} "${label}" must be non-empty, not "*", and without "|"; use the date bucket's label`);
  }
}
