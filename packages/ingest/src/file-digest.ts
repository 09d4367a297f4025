import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { AirlockError } from '@airlock/core';

/** sha256 and size of a file, streamed. It identifies the source for idempotent re-runs. */
export async function digestFile(file: string): Promise<{ sha256: string; bytes: number }> {
  let bytes: number;
  try {
    const info = await stat(file);
    if (info.isDirectory()) {
      throw new AirlockError('INGEST_FILE_INVALID', `${file} is a folder, not a CSV file: give one file (to load every CSV in it: for f in ${file}/*.csv; do airlock ingest <dataset> "$f"; done).`);
    }
    bytes = info.size;
  } catch (cause) {
    if (cause instanceof AirlockError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'there is no such file (check the path and the current folder)' : code === 'EACCES' ? 'permission denied' : (cause as Error).message;
    throw new AirlockError('INGEST_FILE_INVALID', `Cannot read ${file}: ${reason}.`, { cause });
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), bytes };
}
