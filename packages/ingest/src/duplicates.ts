import { quoteIdent, type AirlockDatabase } from '@airlock/db';
import type { PreparedBatch } from './prepare-batch.ts';

// Position of `_content` in a prepared restricted row (see PreparedBatch).
const CONTENT = 4;

/**
 * Leaves out records whose content earlier loads of the dataset already hold, counted as a
 * multiset: if earlier loads hold a record twice, the first two copies in this load are
 * duplicates and a third is new (in datasets without a person id, two people can share every
 * value). Only hashes already in the dataset are tracked, so memory grows with duplicates, not
 * with the file. Rows from before content hashes existed are never matched.
 */
export class DuplicateFilter {
  readonly #seen = new Map<string, number>();

  constructor(
    private readonly database: AirlockDatabase,
    private readonly dataset: string,
    private readonly sourceId: number,
  ) {}

  /** Removes the batch's duplicates from `batch.restricted` and sets `batch.duplicates`. */
  async apply(batch: PreparedBatch): Promise<void> {
    const hashes = [...new Set(batch.restricted.map((row) => String(row[CONTENT])))];
    if (hashes.length === 0) return;
    const held = await this.database.bulk('restricted', (session) =>
      session.query<{ content: string; n: number }>(
        `select _content as content, count(*)::int as n from restricted.${quoteIdent(this.dataset)}
          where _content = any($1::text[]) and _source_id <> $2 group by _content`,
        [hashes, this.sourceId],
      ),
    );
    if (held.length === 0) return;
    const earlier = new Map(held.map((row) => [row.content, Number(row.n)]));
    const keep: unknown[][] = [];
    let duplicates = 0;
    for (const row of batch.restricted) {
      const hash = String(row[CONTENT]);
      const count = earlier.get(hash) ?? 0;
      const seen = this.#seen.get(hash) ?? 0;
      if (seen < count) {
        this.#seen.set(hash, seen + 1);
        duplicates += 1;
      } else {
        keep.push(row);
      }
    }
    batch.restricted = keep;
    batch.duplicates = duplicates;
  }
}
