import os from 'node:os';
import { anchorAuditHead, anchorAuditLog, fileAnchor, loadAuditKeyFile, useAuditKey } from '@airlock/audit';
import { embeddedDatabaseDir, loadConfig, type AirlockConfig } from '@airlock/config';
import { makePrivate, migrateToLatest, openDatabase, type AirlockDatabase } from '@airlock/db';
import { warn } from './output.ts';

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
 * the embedded one under AIRLOCK_DATA_DIR; `options.config` when the command already read it). Migrating is a no-op when already up to date. The
 * audit key is loaded (created in development) and the audit head is anchored in its file; on
 * close the newest committed head is anchored.
 */
export async function openRuntime(options: { migrate?: boolean; config?: AirlockConfig } = {}): Promise<Runtime> {
  // Read once per command: a command that checked the configuration first passes it on.
  const config = options.config ?? loadConfig();
  // The data folder holds the embedded database (raw rows, the WAL), keys and demo files: owner
  // only. Only the folder itself: AIRLOCK_DATA_DIR may point at a folder holding other files.
  await makePrivate(config.dataDir, { recursive: false });
  // Production never invents a signing key: a missing one is a deployment mistake to report.
  useAuditKey(await loadAuditKeyFile(config.auditKeyPath, { create: !config.production }));
  const database = await openDatabase({
    url: config.databaseUrl,
    appPassword: config.appDbPassword,
    dataDir: config.databaseUrl ? undefined : embeddedDatabaseDir(config),
    poolSize: config.poolSize,
  });
  if (!config.databaseUrl) await makePrivate(embeddedDatabaseDir(config));
  anchorAuditLog(database, fileAnchor(config.auditAnchorPath));
  try {
    if (options.migrate ?? true) await migrateToLatest(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    config,
    database,
    async close() {
      try {
        await anchorAuditHead(database);
      } catch (error) {
        // Closing must not mask the command's own outcome; the next run anchors again.
        warn(`The audit head could not be anchored in ${config.auditAnchorPath}: ${(error as Error).message}`);
      } finally {
        await database.close();
        // Files the embedded database created while open (PGlite makes them 0666).
        if (!config.databaseUrl) await makePrivate(embeddedDatabaseDir(config));
      }
    },
  };
}

/** Where the database is, for messages. */
export function describeDatabase(runtime: Runtime): string {
  return runtime.database.kind === 'postgres'
    ? 'PostgreSQL (DATABASE_URL)'
    : `embedded PostgreSQL (PGlite) in ${embeddedDatabaseDir(runtime.config)}`;
}
