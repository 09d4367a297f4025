import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Make `dir` and everything under it private to the owner: folders 0700, files 0600 (symbolic
 * links are left alone). The embedded database (PGlite) creates its files, the WAL included,
 * mode 0666 whatever the umask, and they hold raw personal data; the 0700 folder is what keeps
 * other local users out while it runs, and this sweep, at open and at close, leaves no file
 * readable even if the folder is later copied with its modes. Creates `dir` (0700) if missing.
 * `recursive: false` tightens `dir` alone (for a folder that may hold files not ours). Returns
 * how many entries had their mode changed.
 */
export async function makePrivate(dir: string, options: { recursive?: boolean } = {}): Promise<number> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (options.recursive === false) {
    if (((await lstat(dir)).mode & 0o777) === 0o700) return 0;
    await chmod(dir, 0o700);
    return 1;
  }
  return tighten(dir);
}

async function tighten(entry: string): Promise<number> {
  let info;
  try {
    info = await lstat(entry);
  } catch (error) {
    // A file the database removed while we walked (a recycled WAL segment) needs nothing.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  if (info.isSymbolicLink()) return 0;
  const wanted = info.isDirectory() ? 0o700 : 0o600;
  let changed = 0;
  if ((info.mode & 0o777) !== wanted) {
    await chmod(entry, wanted).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    changed += 1;
  }
  if (info.isDirectory()) {
    const names = await readdir(entry).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    for (const name of names) changed += await tighten(path.join(entry, name));
  }
  return changed;
}
