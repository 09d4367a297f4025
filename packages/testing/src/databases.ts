import { randomBytes } from 'node:crypto';
import { anchorAuditLog, hasAuditKey, memoryAnchor, useAuditKey } from '@airlock/audit';
import { migrateToLatest, openDatabase, type AirlockDatabase, type Database, type DatabaseKind } from '@airlock/db';
import { loginSession, ownerHandle } from '@airlock/db/owner';
import type { Kysely } from 'kysely';
import pg from 'pg';

/**
 * Which databases the suite runs against. Embedded PGlite always; PostgreSQL when
 * `AIRLOCK_TEST_PG_URL` names a server to create scratch databases on (CI sets it to the local
 * server). `AIRLOCK_TEST_PG_URL=off` runs embedded only.
 */
export function testDatabaseKinds(): DatabaseKind[] {
  const url = process.env['AIRLOCK_TEST_PG_URL'];
  return url && url !== 'off' ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestDatabase {
  /** The handle the application gets: zone transactions only. */
  database: AirlockDatabase;
  /**
   * The owner's unrestricted handle (the connecting superuser), for a test to plant data, read
   * the truth its oracle needs, or tamper as an attacker holding the database would. Never
   * passed to application code.
   */
  owner: Kysely<Database>;
  /** Connection string of the scratch database (PostgreSQL only). */
  url: string | undefined;
  drop(): Promise<void>;
}

/**
 * A new, migrated database of the given kind, private to the caller: an in-memory PGlite, or a
 * freshly created database on the test server (dropped by `drop()`). Its audit log is signed
 * with a random per-process key and anchored in memory, as the runtime does with files.
 */
export async function createTestDatabase(kind: DatabaseKind, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  ensureTestAuditKey();
  if (kind === 'pglite') {
    const database = await openDatabase({});
    anchorAuditLog(database, memoryAnchor());
    if (migrate) await migrateToLatest(database);
    return { database, owner: ownerHandle(database), url: undefined, drop: () => database.close() };
  }
  const adminUrl = process.env['AIRLOCK_TEST_PG_URL'];
  if (!adminUrl) throw new Error('AIRLOCK_TEST_PG_URL is not set: no PostgreSQL server to test against.');
  const name = `airlock_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`create database ${name}`));
  const url = withDatabaseName(adminUrl, name);
  const database = await openDatabase({ url, poolSize: 10 });
  anchorAuditLog(database, memoryAnchor());
  if (migrate) await migrateToLatest(database);
  return {
    database,
    owner: ownerHandle(database),
    url,
    async drop() {
      await database.close();
      await withAdmin(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/**
 * The unrestricted handle of a database a test opened itself (not through createTestDatabase),
 * e.g. the embedded database of a CLI run; see {@link TestDatabase.owner}.
 */
export function ownerOf(database: AirlockDatabase): Kysely<Database> {
  return ownerHandle(database);
}

/**
 * The application's login session with no zone role set (what `RESET ROLE` falls back to), for
 * tests of the database roles.
 */
export function loginSessionOf(database: AirlockDatabase): Kysely<Database> {
  return loginSession(database);
}

/**
 * Give this test process an audit key (random, once) if it has none, so code that writes audit
 * events works on databases opened without {@link createTestDatabase}.
 */
export function ensureTestAuditKey(): void {
  if (!hasAuditKey()) useAuditKey(randomBytes(32));
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The same server URL pointing at another database. */
export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
