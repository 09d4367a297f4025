import { AirlockError } from '@airlock/core';
import type { AirlockDatabase } from '@airlock/db';
import { sql } from 'kysely';

/** One rejected record of a load, as kept in `restricted.ingest_rejects` (raw data: stewards only). */
export interface RejectRow {
  readonly loadId: number;
  readonly fileName: string;
  /** Line of the file where the record starts. */
  readonly line: number;
  /** The column at fault, or null for the record as a whole (e.g. a wrong field count). */
  readonly column: string | null;
  readonly reason: string;
  /** The record as read, so it can be fixed and loaded again. */
  readonly raw: string;
}

export interface RejectPage {
  /** Rejected records of the dataset (or of the load asked for), all pages together. */
  readonly total: number;
  readonly rows: readonly RejectRow[];
}

export interface RejectQuery {
  /** One load (`airlock remove <dataset> --list` lists them); absent: every load of the dataset. */
  readonly loadId?: number | undefined;
  readonly limit: number;
  readonly offset: number;
}

const MAX_LIMIT = 10_000;

/**
 * Rejected records of a dataset, oldest load first, in file order: the loads' names from the
 * catalog and the records from the restricted zone, in one transaction under those two roles.
 * Throws BAD_REQUEST for a limit outside 1–10,000, a negative offset, or a load of another dataset.
 */
export async function listRejects(database: AirlockDatabase, dataset: string, query: RejectQuery): Promise<RejectPage> {
  if (!(Number.isInteger(query.limit) && query.limit >= 1 && query.limit <= MAX_LIMIT)) {
    throw new AirlockError('BAD_REQUEST', `limit must be a whole number from 1 to ${MAX_LIMIT}, got ${query.limit}.`);
  }
  if (!(Number.isInteger(query.offset) && query.offset >= 0)) throw new AirlockError('BAD_REQUEST', `offset must be a whole number ≥ 0, got ${query.offset}.`);
  return database.transact(async (step) => {
    const loads = await step('catalog', (trx) =>
      sql<{ id: number; file_name: string }>`select id, file_name from catalog.ingest_sources where dataset = ${dataset} order by id`.execute(trx),
    );
    const names = new Map(loads.rows.map((r) => [Number(r.id), r.file_name]));
    if (query.loadId !== undefined && !names.has(query.loadId)) {
      throw new AirlockError('BAD_REQUEST', `Load ${query.loadId} is not a load of ${dataset}; its loads are ${[...names.keys()].join(', ') || 'none yet'}.`);
    }
    const ids = query.loadId === undefined ? [...names.keys()] : [query.loadId];
    if (ids.length === 0) return { total: 0, rows: [] };
    return step('restricted', async (trx) => {
      const total = await sql<{ n: number }>`select count(*)::int as n from restricted.ingest_rejects where source_id in (${sql.join(ids)})`.execute(trx);
      const rows = await sql<{ source_id: number; line: number; column_name: string | null; reason: string; raw: string }>`
        select source_id, line, column_name, reason, raw from restricted.ingest_rejects
        where source_id in (${sql.join(ids)}) order by source_id, record limit ${query.limit} offset ${query.offset}`.execute(trx);
      return {
        total: Number(total.rows[0]?.n ?? 0),
        rows: rows.rows.map((r) => ({ loadId: Number(r.source_id), fileName: names.get(Number(r.source_id)) ?? '', line: Number(r.line), column: r.column_name, reason: r.reason, raw: r.raw })),
      };
    });
  });
}
