import type { AirlockDatabase, BulkSession } from '@airlock/db';
import { quoteIdent } from '@airlock/db';

export interface SourceState {
  id: number;
  completed: boolean;
  /** Highest record already committed (loaded or rejected); 0 for a new source. */
  lastRecord: number;
  loaded: number;
  rejected: number;
}

/**
 * Register a file (by content hash) for a dataset, or find it again: the same bytes are the same
 * source whatever the file is called. Batches commit in record order, so everything up to the
 * highest committed record is done and a re-run resumes after it.
 */
export async function openSource(
  database: AirlockDatabase,
  dataset: string,
  digest: { sha256: string; bytes: number },
  fileName: string,
): Promise<SourceState> {
  return database.bulk('catalog', async (session) => {
    await session.query(
      `insert into catalog.ingest_sources (dataset, sha256, file_name, bytes) values ($1, $2, $3, $4)
       on conflict (dataset, sha256) do nothing`,
      [dataset, digest.sha256, fileName, digest.bytes],
    );
    const [source] = await session.query<{ id: number; completed_at: Date | null; loaded: number; rejected: number }>(
      `select id, completed_at, loaded, rejected from catalog.ingest_sources where dataset = $1 and sha256 = $2`,
      [dataset, digest.sha256],
    );
    await session.setRole('restricted');
    const [done] = await session.query<{ last: number | null }>(
      `select greatest(
         (select max(_record) from restricted.${quoteIdent(dataset)} where _source_id = $1),
         (select max(record) from restricted.ingest_rejects where source_id = $1)) as last`,
      [source!.id],
    );
    return {
      id: Number(source!.id),
      completed: source!.completed_at !== null,
      lastRecord: Number(done?.last ?? 0),
      loaded: Number(source!.loaded),
      rejected: Number(source!.rejected),
    };
  });
}

/** Count a committed batch against its source (inside the batch's transaction). */
export async function countBatch(session: BulkSession, sourceId: number, loaded: number, rejected: number, duplicates = 0): Promise<void> {
  await session.setRole('catalog');
  await session.query(`update catalog.ingest_sources set loaded = loaded + $2, rejected = rejected + $3, duplicates = duplicates + $4 where id = $1`, [
    sourceId,
    loaded,
    rejected,
    duplicates,
  ]);
}

export async function completeSource(session: BulkSession, sourceId: number, records: number): Promise<void> {
  await session.setRole('catalog');
  await session.query(`update catalog.ingest_sources set completed_at = now(), records = $2 where id = $1`, [sourceId, records]);
}
