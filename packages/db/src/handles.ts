import type { Kysely } from 'kysely';
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

// Keyed by the handle object itself (an AirlockDatabase), so this file needs nothing from open.ts.
const registry = new WeakMap<object, Handles>();

export function registerHandles(database: object, handles: Handles): void {
  registry.set(database, handles);
}

/** The hidden handles of a database opened by `openDatabase`. */
export function handlesOf(database: object): Handles {
  const handles = registry.get(database);
  if (!handles) throw new TypeError('Not a database opened by openDatabase.');
  return handles;
}
