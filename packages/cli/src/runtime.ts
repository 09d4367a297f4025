import os from 'node:os';
import { embeddedDatabaseDir, loadConfig, type AirlockConfig } from '@airlock/config';
import { migrateToLatest, openDatabase, type AirlockDatabase } from '@airlock/db';

/** Who the CLI acts as, for audit events: the operating-system user at the terminal. */
export function cliActor(): { actor: string; roles: string[] } {
  return { actor: `cli:${os.userInfo().username}`, roles: ['steward'] };
}

export interface Runtime {
  config: AirlockConfig;
  database: AirlockDatabase;
  close(): Promise<void>;
}

/**
 * Configuration plus an open, migrated database (PostgreSQL when DATABASE_URL is set, otherwise
 * the embedded one under AIRLOCK_DATA_DIR). Migrating is a no-op when already up to date.
 */
export async function openRuntime(options: { migrate?: boolean } = {}): Promise<Runtime> {
  const config = loadConfig();
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : embeddedDatabaseDir(config),
    poolSize: config.poolSize,
  });
  try {
    if (options.migrate ?? true) await migrateToLatest(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return { config, database, close: () => database.close() };
}

/** Where the database is, for messages. */
export function describeDatabase(runtime: Runtime): string {
  return runtime.database.kind === 'postgres'
    ? 'PostgreSQL (DATABASE_URL)'
    : `embedded PostgreSQL (PGlite) in ${embeddedDatabaseDir(runtime.config)}`;
}
