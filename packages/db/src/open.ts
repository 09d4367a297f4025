import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { AirlockError } from '@airlock/core';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { runBulkOnPglite, runBulkOnPostgres, type BulkSession } from './bulk.ts';
import { lockDataDir } from './dir-lock.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { roleName, type DbRole } from './roles.ts';
import type { Database } from './types.ts';

export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseConfig {
  /** PostgreSQL connection string (`DATABASE_URL`). When absent, embedded PGlite is used. */
  url?: string | undefined;
  /** Folder for the embedded database (`AIRLOCK_DATA_DIR`/pgdata). Absent: in memory. */
  dataDir?: string | undefined;
  /** Pool size on PostgreSQL (`AIRLOCK_DB_POOL_SIZE`, default 10). */
  poolSize?: number | undefined;
}

export interface ZoneOptions {
  /** Run the transaction READ ONLY (default true): open-zone reads can never write. */
  readOnly?: boolean;
  /** `statement_timeout` for this transaction, in milliseconds. */
  statementTimeoutMs?: number;
}

export type ZoneTransaction = Transaction<Database>;

/** Runs `fn` inside the enclosing {@link AirlockDatabase.transact} transaction as `role`. */
export type ZoneStep = <R>(role: DbRole, fn: (trx: ZoneTransaction) => Promise<R>) => Promise<R>;

/**
 * The database handle every package receives. `withZone` is the one way application code
 * reads or writes zone data: it runs `fn` in a transaction after `SET LOCAL ROLE` to the zone's
 * role, so whatever `fn` does, PostgreSQL refuses anything outside that role's grants.
 */
export interface AirlockDatabase {
  readonly kind: DatabaseKind;
  /**
   * Handle as the connecting user. For migrations, administration and tests only: application
   * code goes through {@link AirlockDatabase.withZone}.
   */
  readonly admin: Kysely<Database>;
  withZone<T>(role: DbRole, fn: (trx: ZoneTransaction) => Promise<T>, options?: ZoneOptions): Promise<T>;
  /**
   * One transaction for bulk writes with COPY, starting as `role`; see {@link BulkSession}.
   * Like withZone, everything in it runs under zone roles only.
   */
  bulk<T>(role: DbRole, fn: (session: BulkSession) => Promise<T>): Promise<T>;
  /**
   * One read-write transaction made of steps, each under its own zone role: for an action whose
   * parts live in several zones and must commit together or not at all (a privacy-loss charge,
   * the release it pays for and its audit event). `step(role, fn)` switches role, then runs `fn`;
   * any throw rolls back every step.
   */
  transact<T>(fn: (step: ZoneStep) => Promise<T>, options?: Pick<ZoneOptions, 'statementTimeoutMs'>): Promise<T>;
  close(): Promise<void>;
}

const OID = { int8: 20, numeric: 1700, date: 1082 } as const;

// One parse per type on both databases: bigint counts as numbers, numeric as numbers,
// dates as 'YYYY-MM-DD' strings (never a JS Date in the server's local time zone).
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === OID.int8 || oid === OID.numeric) return (value: string) => Number(value);
    if (oid === OID.date) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** Open PostgreSQL when `config.url` is set, otherwise embedded PGlite. */
export async function openDatabase(config: DatabaseConfig = {}): Promise<AirlockDatabase> {
  if (config.url) return openPostgres(config.url, config.poolSize ?? 10);
  return openPglite(config.dataDir);
}

async function openPostgres(url: string, poolSize: number): Promise<AirlockDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: pgTypes });
  // An idle pooled connection that the server closes (restart, admin command) emits 'error';
  // without a listener that would crash the process. The pool replaces it on next use.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (cause) {
    await pool.end();
    throw new AirlockError(
      'DATABASE_UNAVAILABLE',
      `Cannot connect to PostgreSQL at ${redactUrl(url)}: ${(cause as Error).message}. ` +
        'Check DATABASE_URL, or unset it to use the embedded database.',
      { cause },
    );
  }
  const admin = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return makeHandle('postgres', admin, pool, undefined);
}

async function openPglite(dataDir: string | undefined): Promise<AirlockDatabase> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const unlock = dataDir ? lockDataDir(dataDir) : () => undefined;
  const pglite = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    parsers: {
      [OID.int8]: (value: string) => Number(value),
      [OID.numeric]: (value: string) => Number(value),
      [OID.date]: (value: string) => value,
    },
  });
  try {
    await pglite.waitReady;
  } catch (cause) {
    unlock();
    throw new AirlockError('DATABASE_UNAVAILABLE', `Cannot open the embedded database in ${dataDir}: ${(cause as Error).message}`, {
      cause,
    });
  }
  const admin = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return makeHandle('pglite', admin, undefined, pglite, unlock);
}

function makeHandle(
  kind: DatabaseKind,
  admin: Kysely<Database>,
  pgPool: pg.Pool | undefined,
  pglite: PGlite | undefined,
  onClose: () => void = () => undefined,
): AirlockDatabase {
  return {
    kind,
    admin,
    bulk(role, fn) {
      if (pgPool) return runBulkOnPostgres(pgPool, role, fn);
      if (pglite) return runBulkOnPglite(admin, pglite, role, fn);
      throw new Error('unreachable: a database is either PostgreSQL or PGlite');
    },
    withZone(role, fn, options = {}) {
      const readOnly = options.readOnly ?? true;
      const builder = admin.transaction().setAccessMode(readOnly ? 'read only' : 'read write');
      return builder.execute(async (trx) => {
        // SET LOCAL ends with the transaction, so the role never leaks to the next user of the
        // pooled connection. The role name is from a closed list, never from input.
        await switchRole(trx, role);
        await setTimeout(trx, options.statementTimeoutMs);
        return fn(trx);
      });
    },
    transact(fn, options = {}) {
      return admin.transaction().execute(async (trx) => {
        await setTimeout(trx, options.statementTimeoutMs);
        return fn(async (role, step) => {
          await switchRole(trx, role);
          return step(trx);
        });
      });
    },
    async close() {
      try {
        await admin.destroy();
      } finally {
        onClose();
      }
    },
  };
}

/** Switch the open transaction to another role; the role is from a closed list. */
async function switchRole(trx: ZoneTransaction, role: DbRole): Promise<void> {
  await sql.raw(`set local role ${roleName(role)}`).execute(trx);
}

async function setTimeout(trx: ZoneTransaction, ms: number | undefined): Promise<void> {
  if (ms !== undefined) await sql.raw(`set local statement_timeout = ${Math.max(1, Math.floor(ms))}`).execute(trx);
}

/** A connection string with its password hidden, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
