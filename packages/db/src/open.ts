import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { AirlockError } from '@airlock/core';
import { CompiledQuery, Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { asZoneTransaction, quoteIdent, runBulkOnPglite, runBulkOnPostgres, type BulkSession, type ZoneTransaction } from './bulk.ts';
import { lockDataDir } from './dir-lock.ts';
import { registerHandles } from './handles.ts';
import { ensureLogin, loginRoleExists, loginUrl, redactUrl } from './login.ts';
import { AsyncMutex } from './mutex.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { JOBS_ROLE, LOGIN_ROLE, roleName, type DbRole } from './roles.ts';
import type { Database } from './types.ts';

export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseConfig {
  /**
   * PostgreSQL connection string of the owner (`DATABASE_URL`): a superuser, or a member of
   * `airlock_owner` with CREATEROLE. It runs migrations only; the application's connections log
   * in as `airlock_app` on the same server and database. When absent, embedded PGlite is used.
   */
  url?: string | undefined;
  /**
   * Password of the `airlock_app` login role (`AIRLOCK_APP_DB_PASSWORD`). When the role cannot
   * log in with it, the owner connection sets it. Absent: the server must let `airlock_app` in
   * without one (trust, peer or certificate authentication in pg_hba.conf).
   */
  appPassword?: string | undefined;
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

export type { ZoneTransaction };

/** Runs `fn` inside the enclosing {@link AirlockDatabase.transact} transaction as `role`. */
export type ZoneStep = <R>(role: DbRole, fn: (trx: ZoneTransaction) => Promise<R>) => Promise<R>;

/**
 * The database handle every package receives. Its connections log in as `airlock_app`, which
 * can read and write nothing by itself. `withZone` is the one way application code reads or
 * writes zone data: it runs `fn` in a transaction after `SET LOCAL ROLE` to the zone's role, so
 * whatever `fn` does, PostgreSQL refuses anything outside that role's grants — and `RESET ROLE`
 * only falls back to `airlock_app`. The owner's handle is not here: migrations take it inside
 * this package, and test fixtures from `@airlock/db/owner`.
 */
export interface AirlockDatabase {
  readonly kind: DatabaseKind;
  withZone<T>(role: DbRole, fn: (trx: ZoneTransaction) => Promise<T>, options?: ZoneOptions): Promise<T>;
  /**
   * One transaction for bulk writes with COPY, starting as `role`; see {@link BulkSession}.
   * Like withZone, everything in it runs under zone roles only; table changes go through the
   * session's named operations.
   */
  bulk<T>(role: DbRole, fn: (session: BulkSession) => Promise<T>): Promise<T>;
  /**
   * One read-write transaction made of steps, each under its own zone role: for an action whose
   * parts live in several zones and must commit together or not at all (a privacy-loss charge,
   * the release it pays for and its audit event). `step(role, fn)` switches role, then runs `fn`;
   * any throw rolls back every step.
   */
  transact<T>(fn: (step: ZoneStep) => Promise<T>, options?: Pick<ZoneOptions, 'statementTimeoutMs'>): Promise<T>;
  /**
   * The job queue's door (pg-boss's `executeSql`): runs one queue statement, or a parameterless
   * script, as `airlock_jobs`, which owns the `pgboss` schema and nothing else. On PostgreSQL on
   * a small pool of its own; on PGlite on the one connection, in turn with everyone else.
   */
  queueSql<R = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<{ rows: R[] }>;
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
  if (config.url) return openPostgres(config.url, config.poolSize ?? 10, config.appPassword);
  return openPglite(config.dataDir);
}

async function openPostgres(url: string, poolSize: number, appPassword: string | undefined): Promise<AirlockDatabase> {
  // The owner's pool runs migrations and little else: two connections are plenty.
  const ownerPool = new pg.Pool({ connectionString: url, max: 2, types: pgTypes });
  // An idle pooled connection that the server closes (restart, admin command) emits 'error';
  // without a listener that would crash the process. The pool replaces it on next use.
  ownerPool.on('error', () => undefined);
  try {
    const client = await ownerPool.connect();
    client.release();
  } catch (cause) {
    await ownerPool.end();
    throw new AirlockError(
      'DATABASE_UNAVAILABLE',
      `Cannot connect to PostgreSQL at ${redactUrl(url)}: ${(cause as Error).message}. ` +
        'Check DATABASE_URL, or unset it to use the embedded database.',
      { cause },
    );
  }
  const appUrl = loginUrl(url, appPassword);
  // Connects lazily: on a new database the login role exists only once migrations ran.
  const appPool = new pg.Pool({ connectionString: appUrl, max: poolSize, types: pgTypes });
  appPool.on('error', () => undefined);
  const owner = new Kysely<Database>({ dialect: new PostgresDialect({ pool: ownerPool }) });
  const session = new Kysely<Database>({ dialect: new PostgresDialect({ pool: appPool }) });
  const login = (): Promise<void> => ensureLogin({ owner, appPool, appUrl, appPassword });
  if (await loginRoleExists(owner)) {
    try {
      await login();
    } catch (error) {
      await Promise.all([owner.destroy(), session.destroy()]);
      throw error;
    }
  }

  let jobsPool: pg.Pool | undefined;
  const jobsReady = new WeakSet<pg.PoolClient>();
  const handle = makeHandle('postgres', session, {
    bulk: (role, fn) => runBulkOnPostgres(appPool, role, fn),
    async queueSql(text, values) {
      jobsPool ??= new pg.Pool({ connectionString: appUrl, max: 3, types: pgTypes }).on('error', () => undefined);
      const client = await jobsPool.connect();
      let broken = false;
      try {
        // These connections serve the queue only, so the role is set once per connection.
        if (!jobsReady.has(client)) {
          await client.query(`set role ${JOBS_ROLE}`);
          jobsReady.add(client);
        }
        return { rows: (await client.query(text, values ? [...values] : [])).rows };
      } catch (error) {
        broken = true; // a script may have left a transaction open: do not reuse the connection
        throw error;
      } finally {
        client.release(broken || undefined);
      }
    },
    async close() {
      await Promise.all([owner.destroy(), session.destroy(), jobsPool?.end()]);
    },
  });
  registerHandles(handle, { owner, session, afterMigrate: login });
  return handle;
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
  let superuser: string;
  try {
    await pglite.waitReady;
    superuser = (await pglite.query<{ u: string }>('select session_user as u')).rows[0]!.u;
  } catch (cause) {
    unlock();
    throw new AirlockError('DATABASE_UNAVAILABLE', `Cannot open the embedded database in ${dataDir}: ${(cause as Error).message}`, {
      cause,
    });
  }
  // PGlite is one session, logged in as its superuser. The owner's handle and the application's
  // share it in turn (one lock); each time it is handed out, it becomes that handle's user:
  // the superuser for migrations and fixtures, `airlock_app` for everything else. What this
  // cannot stop: SQL run by the application may itself say SET SESSION AUTHORIZATION back to
  // the superuser (PostgreSQL allows it because the session logged in as one); RESET ROLE and
  // SET ROLE postgres are refused or fall back to airlock_app as on a server.
  const mutex = new AsyncMutex(60_000, 'the embedded database connection');
  const owner = new Kysely<Database>({
    dialect: new PGliteDialect(pglite, { mutex, onAcquire: async (db) => void (await db.exec(`set session authorization ${quoteIdent(superuser)}`)) }),
  });
  const session = new Kysely<Database>({
    dialect: new PGliteDialect(pglite, {
      mutex,
      onAcquire: async (db) => {
        try {
          await db.exec(`set session authorization ${LOGIN_ROLE}`);
        } catch (cause) {
          if ((cause as { code?: string }).code === '42704') {
            throw new AirlockError('DATABASE_UNAVAILABLE', `The embedded database has no ${LOGIN_ROLE} role yet: run \`airlock db migrate\` first.`, { cause });
          }
          throw cause;
        }
      },
    }),
  });
  const handle = makeHandle('pglite', session, {
    bulk: (role, fn) => runBulkOnPglite(session, pglite, superuser, role, fn),
    queueSql: (text, values) =>
      session.connection().execute(async (db) => {
        await db.executeQuery(CompiledQuery.raw(`set role ${JOBS_ROLE}`));
        try {
          const result = await db.executeQuery<never>(CompiledQuery.raw(text, values ? [...values] : []));
          return { rows: [...result.rows] };
        } catch (error) {
          // A script that failed inside its own BEGIN leaves the transaction open: end it.
          await db.executeQuery(CompiledQuery.raw('rollback')).catch(() => undefined);
          throw error;
        } finally {
          await db.executeQuery(CompiledQuery.raw('reset role')).catch(() => undefined);
        }
      }),
    async close() {
      try {
        await session.destroy();
        await owner.destroy();
      } finally {
        unlock();
      }
    },
  });
  registerHandles(handle, { owner, session, afterMigrate: async () => undefined });
  return handle;
}

interface KindSpecific {
  bulk: AirlockDatabase['bulk'];
  queueSql: AirlockDatabase['queueSql'];
  close(): Promise<void>;
}

function makeHandle(kind: DatabaseKind, session: Kysely<Database>, specific: KindSpecific): AirlockDatabase {
  return {
    kind,
    bulk: specific.bulk,
    queueSql: specific.queueSql,
    withZone(role, fn, options = {}) {
      const readOnly = options.readOnly ?? true;
      const builder = session.transaction().setAccessMode(readOnly ? 'read only' : 'read write');
      return builder.execute(async (trx) => {
        // SET LOCAL ends with the transaction, so the role never leaks to the next user of the
        // pooled connection. The role name is from a closed list, never from input.
        await setLocalRole(trx, role);
        await setTimeout(trx, options.statementTimeoutMs);
        return fn(asZoneTransaction(trx));
      });
    },
    transact(fn, options = {}) {
      return session.transaction().execute(async (trx) => {
        await setTimeout(trx, options.statementTimeoutMs);
        const zoned = asZoneTransaction(trx);
        return fn(async (role, step) => {
          await setLocalRole(trx, role);
          return step(zoned);
        });
      });
    },
    close: specific.close,
  };
}

/** Switch the open transaction to a zone role; the role is from a closed list. */
async function setLocalRole(trx: Transaction<Database>, role: DbRole): Promise<void> {
  await sql.raw(`set local role ${roleName(role)}`).execute(trx);
}

async function setTimeout(trx: Transaction<Database>, ms: number | undefined): Promise<void> {
  if (ms !== undefined) await sql.raw(`set local statement_timeout = ${Math.max(1, Math.floor(ms))}`).execute(trx);
}
