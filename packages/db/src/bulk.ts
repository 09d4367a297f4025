import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { datasetTables, type DatasetTables } from './dataset-tables.ts';
import { LOGIN_ROLE, roleName, type DbRole } from './roles.ts';
import type { Database } from './types.ts';

/**
 * One transaction for bulk writes (ingest, rebuild): plain statements plus COPY, the fastest
 * load path on each database — COPY FROM STDIN on PostgreSQL, COPY FROM '/dev/blob' on PGlite.
 * Starts as the given role; `setRole` switches role within the transaction so a batch can write
 * restricted rows, their deidentified rows and the audit event atomically, each under its own
 * zone's grants. Table changes go through the named operations of `tables`, never a switch to
 * the owner.
 */
export interface BulkSession extends SqlRunner {
  /** COPY rows into `schema.table (columns)`; values: null, string, number, boolean. Returns rows copied. */
  copyRows(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<number>;
  /**
   * COPY a CSV file with a header row, as it is, into `schema.table` (all its columns). For
   * baselines and bulk loads of already-clean files; ingest uses {@link copyRows}.
   */
  copyCsvFile(table: string, file: string): Promise<void>;
  /** Switch to another zone role for the statements that follow. */
  setRole(role: DbRole): Promise<void>;
  /** Create, reshape and drop dataset tables, in this transaction (see {@link DatasetTables}). */
  readonly tables: DatasetTables;
}

export async function runBulkOnPostgres<T>(pool: pg.Pool, role: DbRole, fn: (session: BulkSession) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failed = false;
  try {
    await client.query('begin');
    let current: DbRole = role;
    const session: BulkSession = {
      query: async (text, params) => (await client.query(text, params ? [...params] : undefined)).rows,
      copyRows: async (table, columns, rows) => {
        if (rows.length === 0) return 0;
        const stream = client.query(copyFrom(copyStatement(table, columns)));
        await pipeline(csvChunks(rows), stream);
        return rows.length;
      },
      copyCsvFile: async (table, file) => {
        await pipeline(createReadStream(file), client.query(copyFrom(`copy ${qualified(table)} from stdin with (format csv, header true)`)));
      },
      setRole: async (next) => {
        await client.query(`set local role ${roleName(next)}`);
        current = next;
      },
      tables: datasetTables(async (as, text, params) => {
        const back = current;
        await session.setRole(as);
        await client.query(text, [...params]);
        await session.setRole(back);
      }),
    };
    await session.setRole(role);
    const result = await fn(session);
    await client.query('commit');
    return result;
  } catch (error) {
    failed = true;
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    // A connection whose COPY failed midway is not reused.
    client.release(failed ? true : undefined);
  }
}

/**
 * `superuser` is the embedded database's own user: PGlite's COPY reads a "file" (/dev/blob), which
 * PostgreSQL reserves to superusers, so the copy itself runs as that user (see copyRows).
 */
export async function runBulkOnPglite<T>(
  session: Kysely<Database>,
  pglite: PGlite,
  superuser: string,
  role: DbRole,
  fn: (session: BulkSession) => Promise<T>,
): Promise<T> {
  // Holding a Kysely connection holds the driver's lock on the single PGlite session (and makes
  // it the login role), so the direct calls below cannot interleave with anyone else's queries.
  return session.connection().execute(async () => {
    await pglite.exec('begin');
    let current: DbRole = role;
    let staged = 0;
    try {
      const session: BulkSession = {
        query: async <R>(text: string, params?: readonly unknown[]) =>
          (await pglite.query<R>(text, params ? [...params] : [])).rows,
        copyRows: async (table, columns, rows) => {
          if (rows.length === 0) return 0;
          const chunks: string[] = [];
          for await (const chunk of csvChunks(rows)) chunks.push(chunk);
          // PGlite's COPY reads a "file" (/dev/blob), which PostgreSQL reserves to superusers.
          // So the database's own user copies our own bytes into a private temporary table, and
          // the zone role moves them into the zone table under its own grants.
          const stage = `airlock_stage_${staged++}`;
          const cols = columns.map(quoteIdent).join(', ');
          await pglite.exec(`set local session authorization ${quoteIdent(superuser)};
            create temp table ${stage} on commit drop as select ${cols} from ${qualified(table)} with no data;
            grant select on ${stage} to ${roleName(current)};`);
          await pglite.query(copyStatement(stage, columns, "'/dev/blob'"), [], { blob: new Blob(chunks) });
          await pglite.exec(`set local session authorization ${LOGIN_ROLE}; set local role ${roleName(current)};
            insert into ${qualified(table)} (${cols}) select ${cols} from ${stage};`);
          return rows.length;
        },
        copyCsvFile: async (table, file) => {
          // As with copyRows, the database's own user reads the blob; this being a baseline of
          // the fastest load, straight into the table — but only into a table the current zone
          // role may insert into itself (its triggers and constraints apply as ever).
          const [grant] = (
            await pglite.query<{ ok: boolean }>(`select has_table_privilege($1, $2, 'INSERT') as ok`, [roleName(current), qualified(table)])
          ).rows;
          if (!grant?.ok) throw Object.assign(new Error(`permission denied for table ${table}`), { code: '42501' });
          await pglite.exec(`set local session authorization ${quoteIdent(superuser)}`);
          await pglite.query(`copy ${qualified(table)} from '/dev/blob' with (format csv, header true)`, [], { blob: new Blob([await readFile(file)]) });
          await pglite.exec(`set local session authorization ${LOGIN_ROLE}; set local role ${roleName(current)}`);
        },
        setRole: async (next) => {
          await pglite.exec(`set local role ${roleName(next)}`);
          current = next;
        },
        tables: datasetTables(async (as, text, params) => {
          const back = current;
          await session.setRole(as);
          await pglite.query(text, [...params]);
          await session.setRole(back);
        }),
      };
      await session.setRole(role);
      const result = await fn(session);
      await pglite.exec('commit');
      return result;
    } catch (error) {
      await pglite.exec('rollback').catch(() => undefined);
      throw error;
    }
  });
}

function copyStatement(table: string, columns: readonly string[], source = 'stdin'): string {
  return `copy ${qualified(table)} (${columns.map(quoteIdent).join(', ')}) from ${source} with (format csv)`;
}

/** `schema.table` (or a bare temporary table name) quoted. */
function qualified(table: string): string {
  return table.split('.').map(quoteIdent).join('.');
}

/** Double-quote an identifier for SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Rows as CSV for COPY: unquoted empty is NULL, every other value is quoted. */
async function* csvChunks(rows: readonly (readonly unknown[])[]): AsyncGenerator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += row.map(csvField).join(',') + '\n';
    if (chunk.length > 1 << 16) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return `"${text.replaceAll('"', '""')}"`;
}

/** The narrowest handle for running SQL text with parameters inside an open transaction. */
export interface SqlRunner {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

declare const zoneBrand: unique symbol;

/**
 * A transaction running under a zone role: what `withZone` and `transact`'s steps hand out, and
 * the only kind of handle {@link sqlRunner} accepts.
 */
export type ZoneTransaction = Transaction<Database> & { readonly [zoneBrand]: true };

const zoneTransactions = new WeakSet<object>();

/** Mark a transaction as running under a zone role (db internal: withZone and transact only). */
export function asZoneTransaction(trx: Transaction<Database>): ZoneTransaction {
  zoneTransactions.add(trx);
  return trx as ZoneTransaction;
}

/**
 * A zone transaction as a {@link SqlRunner}. Anything else — the owner's handle, a transaction
 * of it — is refused, at compile time by the type and at run time by this check.
 */
export function sqlRunner(trx: ZoneTransaction): SqlRunner {
  if (!zoneTransactions.has(trx)) throw new TypeError('sqlRunner takes a zone transaction (withZone or a transact step) only.');
  return {
    query: async <R>(text: string, params: readonly unknown[] = []) => (await trx.executeQuery<R>(CompiledQuery.raw(text, [...params]))).rows,
  };
}
