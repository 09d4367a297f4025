import type { PGlite, Results } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { AsyncMutex } from './mutex.ts';

/**
 * Kysely dialect for embedded PostgreSQL (PGlite). PGlite is one connection, so the driver hands
 * it out to one user at a time: a transaction holds it until commit or rollback, and other
 * callers wait their turn. Code inside a transaction must use the transaction object, never the
 * outer handle (which would wait for itself); the mutex turns such a wait into an error after
 * `acquireTimeoutMs` instead of a silent hang.
 */
export interface PGliteDialectOptions {
  /** How long a caller waits for the connection before an error (default 60 s). */
  acquireTimeoutMs?: number;
  /**
   * The lock on the one PGlite session. Several dialects over the same PGlite (the owner's and
   * the application's handle) must share one, or their transactions would interleave.
   */
  mutex?: AsyncMutex;
  /** Runs each time the connection is handed out, before the caller's first statement. */
  onAcquire?: (pg: PGlite) => Promise<void>;
}

export class PGliteDialect implements Dialect {
  readonly #pg: PGlite;
  readonly #mutex: AsyncMutex;
  readonly #onAcquire: ((pg: PGlite) => Promise<void>) | undefined;

  constructor(pg: PGlite, options: PGliteDialectOptions = {}) {
    this.#pg = pg;
    this.#mutex = options.mutex ?? new AsyncMutex(options.acquireTimeoutMs ?? 60_000, 'the embedded database connection');
    this.#onAcquire = options.onAcquire;
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PGliteDriver(this.#pg, this.#mutex, this.#onAcquire);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  // Kysely's introspector is typed over any schema.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

class PGliteDriver implements Driver {
  readonly #pg: PGlite;
  readonly #mutex: AsyncMutex;
  readonly #connection: PGliteConnection;
  readonly #onAcquire: ((pg: PGlite) => Promise<void>) | undefined;

  constructor(pg: PGlite, mutex: AsyncMutex, onAcquire: ((pg: PGlite) => Promise<void>) | undefined) {
    this.#pg = pg;
    this.#mutex = mutex;
    this.#onAcquire = onAcquire;
    this.#connection = new PGliteConnection(pg);
  }

  async init(): Promise<void> {
    await this.#pg.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    try {
      await this.#onAcquire?.(this.#pg);
    } catch (error) {
      this.#mutex.unlock();
      throw error;
    }
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const parts = ['begin'];
    if (settings.isolationLevel) parts.push(`isolation level ${settings.isolationLevel}`);
    if (settings.accessMode) parts.push(settings.accessMode);
    await connection.executeQuery(CompiledQuery.raw(parts.join(' ')));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  async destroy(): Promise<void> {
    if (!this.#pg.closed) await this.#pg.close();
  }
}

class PGliteConnection implements DatabaseConnection {
  readonly #pg: PGlite;

  constructor(pg: PGlite) {
    this.#pg = pg;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    // Like node-postgres, a query without parameters goes over the simple protocol, which allows
    // several statements (migrations use this); its result is the last statement's.
    const result =
      compiledQuery.parameters.length === 0
        ? lastOf(await this.#pg.exec(compiledQuery.sql))
        : await this.#pg.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    const affected = result.affectedRows;
    return {
      rows: result.rows as R[],
      ...(affected !== undefined && /^(insert|update|delete|merge)/i.test(compiledQuery.sql.trimStart())
        ? { numAffectedRows: BigInt(affected) }
        : {}),
    };
  }

  // PGlite has no cursors over the wire; stream the whole result in one chunk.
  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield await this.executeQuery<R>(compiledQuery);
  }
}

function lastOf(results: Results[]): Results {
  return results[results.length - 1] ?? { rows: [], fields: [] };
}
