import type { Kysely } from 'kysely';
import type { AirlockDatabase } from './open.ts';
import type { Database } from './types.ts';

/** What a database handle keeps out of its public interface. */
export interface Handles {
  /** As the owner connection: the connecting superuser, or a member of airlock_owner. */
  owner: Kysely<Database>;
  /** As the login role `airlock_app`, with no zone role set. */
  session: Kysely<Database>;
  /** After migrations: make sure the login role can log in (password, not a superuser). */
  afterMigrate(): Promise<void>;
}

const registry = new WeakMap<AirlockDatabase, Handles>();

export function registerHandles(database: AirlockDatabase, handles: Handles): void {
  registry.set(database, handles);
}

/** The hidden handles of a database opened by `openDatabase`. */
export function handlesOf(database: AirlockDatabase): Handles {
  const handles = registry.get(database);
  if (!handles) throw new TypeError('Not a database opened by openDatabase.');
  return handles;
}
