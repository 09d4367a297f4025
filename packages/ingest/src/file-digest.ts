import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { AirlockError } from '@airlock/core';

/** sha256 and size of a file, streamed. It identifies the source for idempotent re-runs. */
export async function digestFile(file: string): Promise<{ sha256: string; bytes: number }> {
  let bytes: number;
  try {
    bytes = (await stat(file)).size;
  } catch (cause) {
    throw new AirlockError('INGEST_FILE_INVALID', `Cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), bytes };
}
