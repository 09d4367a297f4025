/**
 * The owner's door, for test fixtures (and benchmarks' baselines) only: `@airlock/db/owner`.
 * Application code never imports it — eslint refuses the import outside packages/db,
 * packages/testing, migrations and tests — and reaches data through `withZone`, `transact`,
 * `bulk` and the named table operations instead. Migrations get the owner's handle inside
 * `migrateToLatest`.
 */
import type { Kysely } from 'kysely';
import { handlesOf } from './handles.ts';
import type { AirlockDatabase } from './open.ts';
import type { Database } from './types.ts';

/**
 * The unrestricted handle: the owner connection on PostgreSQL (`DATABASE_URL`'s user), the
 * embedded database's superuser on PGlite. Tests use it to plant data, read the truth an oracle
 * needs, and tamper as an attacker who holds the database would.
 */
export function ownerHandle(database: AirlockDatabase): Kysely<Database> {
  return handlesOf(database).owner;
}

/**
 * The application's login session (`airlock_app`) with no zone role set: what `RESET ROLE`
 * inside a zone transaction falls back to. For tests of the roles themselves.
 */
export function loginSession(database: AirlockDatabase): Kysely<Database> {
  return handlesOf(database).session;
}
