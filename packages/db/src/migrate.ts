import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AirlockError } from '@airlock/core';
import { Migrator, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import { handlesOf } from './handles.ts';
import type { AirlockDatabase } from './open.ts';

/** The repository's `migrations/` folder. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

/** Reads `migrations/*.ts` in name order; each exports `up` (and `down`). */
class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.folder)).filter((f) => /^\d{8}_\d{4}_[\w-]+\.ts$/.test(f)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const mod = (await import(pathToFileURL(path.join(this.folder, file)).href)) as Migration;
      migrations[file.replace(/\.ts$/, '')] = mod;
    }
    return migrations;
  }
}

export interface MigrateOutcome {
  /** Names of the migrations this call applied (empty when already up to date). */
  applied: string[];
}

/**
 * Bring the schema up to date, as the owner connection. Runs each migration in its own
 * transaction; on failure nothing of that migration remains and the error names it. Running it
 * again is a no-op. Then checks that the application's login role can log in.
 */
export async function migrateToLatest(database: AirlockDatabase, folder = MIGRATIONS_DIR): Promise<MigrateOutcome> {
  const handles = handlesOf(database);
  const migrator = new Migrator({ db: handles.owner, provider: new FolderMigrationProvider(folder) });
  // Migrator reports failure in its result; it does not throw.
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r: MigrationResult) => r.status === 'Error');
  if (error) {
    throw new AirlockError(
      'MIGRATION_FAILED',
      `Migration ${failed?.migrationName ?? '(before any migration ran)'} failed: ${(error as Error).message ?? String(error)}`,
      { cause: error },
    );
  }
  await handles.afterMigrate();
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
