import { AirlockError, type RecordZone } from '@airlock/core';
import type { AirlockDatabase } from '@airlock/db';
import { sqlRunner } from '@airlock/db';
import type { ColumnView } from '@airlock/policy';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { quoteIdent, zoneTable } from './sql-names.ts';

export type { RecordZone };

export interface RecordPage {
  rows: Array<Record<string, unknown>>;
  endCursor: string | null;
  hasNextPage: boolean;
}

/**
 * One page of a zone's records, ordered by the random row id, with equality filters on allowed
 * columns. Runs in a read-only transaction as the zone's role: whatever this code does, the
 * database refuses any other zone.
 */
export async function queryRecords(
  database: AirlockDatabase,
  zone: RecordZone,
  dataset: string,
  columns: readonly ColumnView[],
  args: { first: number; after?: string | null | undefined; where?: Readonly<Record<string, unknown>> | undefined },
  statementTimeoutMs: number,
): Promise<RecordPage> {
  const allowed = new Set(columns.map((c) => c.name));
  const params: unknown[] = [];
  const conditions: string[] = [];
  for (const [column, value] of Object.entries(args.where ?? {})) {
    if (!allowed.has(column)) throw new AirlockError('BAD_REQUEST', `Cannot filter on "${column}".`);
    if (value === null) {
      conditions.push(`${quoteIdent(column)} is null`);
    } else {
      params.push(value);
      conditions.push(`${quoteIdent(column)} = $${params.length}`);
    }
  }
  if (args.after) {
    params.push(decodeCursor(args.after));
    conditions.push(`_row_id > $${params.length}::uuid`);
  }
  const select = ['_row_id', ...columns.map((c) => quoteIdent(c.name))].join(', ');
  const text = `select ${select} from ${zoneTable(zone, dataset)}${conditions.length ? ` where ${conditions.join(' and ')}` : ''}
    order by _row_id limit ${args.first + 1}`;
  const rows = await database
    .withZone(zone, (trx) => sqlRunner(trx).query<Record<string, unknown>>(text, params), { statementTimeoutMs })
    .catch((error: unknown) => {
      // 42P01: the zone's table does not exist yet (nothing ingested, no synthetic release).
      if ((error as { code?: string }).code === '42P01') throw new AirlockError('NOT_FOUND', `No ${zone} data for ${dataset} yet.`);
      throw error;
    });
  const hasNextPage = rows.length > args.first;
  const page = rows.slice(0, args.first);
  const last = page[page.length - 1];
  return {
    rows: page.map((row) => {
      const out: Record<string, unknown> = {};
      for (const c of columns) out[c.name] = normalize(row[c.name]);
      return out;
    }),
    endCursor: last ? encodeCursor(String(last['_row_id'])) : null,
    hasNextPage,
  };
}

function normalize(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}
