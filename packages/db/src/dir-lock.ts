import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AirlockError } from '@airlock/core';

/**
 * The embedded database is one process's files: a second process opening them would corrupt
 * them. A lock file holding the owner's pid turns that into a clear error; a lock left by a
 * process that no longer runs is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, 'airlock.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(owner) && owner !== process.pid && isRunning(owner)) {
        throw new AirlockError(
          'DATABASE_UNAVAILABLE',
          `The embedded database in ${dataDir} is in use by process ${owner} (probably \`npm start\`). ` +
            'Stop that process first, or set DATABASE_URL to share a PostgreSQL server between processes.',
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new AirlockError('DATABASE_UNAVAILABLE', `Could not lock the embedded database in ${dataDir}.`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
