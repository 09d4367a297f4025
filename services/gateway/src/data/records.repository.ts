import { AirlockError, type RecordZone } from '@airlock/core';
import type { AirlockDatabase } from '@airlock/db';
import { sqlRunner } from '@airlock/db';
import { zoneReadError } from './zone-errors.ts';
import type { ColumnView } from '@airlock/policy';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { quoteIdent, zoneTable } from './sql-names.ts';

export type { RecordZone };

export interface RecordPage {
  rows: Array<Record<string, unknown>>;
  endCursor: string | null;
  hasNextPage: boolean;
}

/** Sort order of a records page: one column the role may read, nulls last; ties by row id. */
export interface RecordOrder {
  readonly column: string;
  readonly direction: 'asc' | 'desc';
}

export interface RecordQuery {
  first: number;
  after?: string | null | undefined;
  where?: Readonly<Record<string, unknown>> | undefined;
  orderBy?: RecordOrder | null | undefined;
}

/**
 * One page of a zone's records, with equality filters on allowed columns, ordered by the random
 * row id or by one allowed column (keyset paging: the cursor holds the last row's value). Runs in
 * a read-only transaction as the zone's role: whatever this code does, the database refuses any
 * other zone.
 */
export async function queryRecords(
  database: AirlockDatabase,
  zone: RecordZone,
  dataset: string,
  columns: readonly ColumnView[],
  args: RecordQuery,
  statementTimeoutMs: number,
): Promise<RecordPage> {
  const { params, conditions } = filters(columns, args.where);
  const order = args.orderBy ?? null;
  if (order !== null && !columns.some((c) => c.name === order.column)) throw new AirlockError('BAD_REQUEST', `Cannot sort on "${order.column}".`);
  if (args.after) {
    const cursor = decodeCursor(args.after);
    if ((cursor.sort?.column ?? null) !== (order?.column ?? null)) {
      throw new AirlockError('BAD_REQUEST', 'The `after` cursor belongs to another sort order; keep orderBy the same while paging, or start again without after.');
    }
    params.push(cursor.rowId);
    const id = `$${params.length}::uuid`;
    const cmp = order?.direction === 'desc' ? '<' : '>';
    if (order === null) conditions.push(`_row_id > ${id}`);
    else if (cursor.sort!.value === null) conditions.push(`(${quoteIdent(order.column)} is null and _row_id ${cmp} ${id})`);
    else {
      params.push(cursor.sort!.value);
      const col = quoteIdent(order.column);
      const value = `$${params.length}`;
      // Nulls sort last in both directions, so every null row comes after any value.
      conditions.push(`(${col} ${cmp} ${value} or (${col} = ${value} and _row_id ${cmp} ${id}) or ${col} is null)`);
    }
  }
  const select = ['_row_id', ...columns.map((c) => quoteIdent(c.name))].join(', ');
  const orderSql = order === null ? '_row_id' : `${quoteIdent(order.column)} ${order.direction} nulls last, _row_id ${order.direction}`;
  const text = `select ${select} from ${zoneTable(zone, dataset)}${conditions.length ? ` where ${conditions.join(' and ')}` : ''}
    order by ${orderSql} limit ${args.first + 1}`;
  const rows = await read(database, zone, dataset, text, params, statementTimeoutMs);
  const hasNextPage = rows.length > args.first;
  const page = rows.slice(0, args.first);
  const last = page[page.length - 1];
  return {
    rows: page.map((row) => {
      const out: Record<string, unknown> = {};
      for (const c of columns) out[c.name] = normalize(row[c.name]);
      return out;
    }),
    endCursor: last ? encodeCursor({ rowId: String(last['_row_id']), ...(order ? { sort: { column: order.column, value: normalize(last[order.column]) ?? null } } : {}) }) : null,
    hasNextPage,
  };
}

/** How many records match the filters (all pages together). */
export async function countRecords(
  database: AirlockDatabase,
  zone: RecordZone,
  dataset: string,
  columns: readonly ColumnView[],
  where: Readonly<Record<string, unknown>> | undefined,
  statementTimeoutMs: number,
): Promise<number> {
  const { params, conditions } = filters(columns, where);
  const text = `select count(*)::int as n from ${zoneTable(zone, dataset)}${conditions.length ? ` where ${conditions.join(' and ')}` : ''}`;
  const rows = await read(database, zone, dataset, text, params, statementTimeoutMs);
  return Number(rows[0]?.['n'] ?? 0);
}

function filters(columns: readonly ColumnView[], where: Readonly<Record<string, unknown>> | undefined): { params: unknown[]; conditions: string[] } {
  const allowed = new Set(columns.map((c) => c.name));
  const params: unknown[] = [];
  const conditions: string[] = [];
  for (const [column, value] of Object.entries(where ?? {})) {
    if (!allowed.has(column)) throw new AirlockError('BAD_REQUEST', `Cannot filter on "${column}".`);
    if (value === null) {
      conditions.push(`${quoteIdent(column)} is null`);
    } else {
      params.push(value);
      conditions.push(`${quoteIdent(column)} = $${params.length}`);
    }
  }
  return { params, conditions };
}

function read(database: AirlockDatabase, zone: RecordZone, dataset: string, text: string, params: unknown[], statementTimeoutMs: number): Promise<Array<Record<string, unknown>>> {
  return database
    .withZone(zone, (trx) => sqlRunner(trx).query<Record<string, unknown>>(text, params), { statementTimeoutMs })
    .catch((error: unknown) => {
      throw zoneReadError(error, zone, dataset);
    });
}

function normalize(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}
