import { createHash } from 'node:crypto';
import { canonicalJson, type RecordZone } from '@airlock/core';
import { quoteIdent, sqlRunner, type AirlockDatabase } from '@airlock/db';
import type { Row } from '@airlock/ml';
import { inEvaluationHoldOut } from '@airlock/models';

/**
 * The rows of a zone a job trains on, read in a read-only transaction under that zone's role
 * (the trainer holds no other way in), and a sha256 over them in row-id order: the data
 * snapshot hash of the model card.
 */
export async function loadTrainingRows(
  database: AirlockDatabase,
  zone: RecordZone,
  dataset: string,
  columns: readonly string[],
  /** `train`: leave out the evaluation hold-out; `hold-out`: only it; `all` (default): every row. */
  part: 'all' | 'train' | 'hold-out' = 'all',
): Promise<{ rows: Row[]; snapshotSha256: string }> {
  const select = ['_row_id', ...columns.map(quoteIdent)].join(', ');
  const raw = await database.withZone(zone, (trx) =>
    sqlRunner(trx).query<Record<string, unknown>>(`select ${select} from ${zone}.${quoteIdent(dataset)} order by _row_id`),
  );
  const kept = part === 'all' ? raw : raw.filter((record) => inEvaluationHoldOut(String(record['_row_id'])) === (part === 'hold-out'));
  const hash = createHash('sha256');
  const rows = kept.map((record) => {
    const row: Record<string, unknown> = {};
    for (const column of columns) {
      const value = record[column];
      row[column] = value instanceof Date ? value.toISOString() : value;
    }
    hash.update(canonicalJson(row)).update('\n');
    return row;
  });
  return { rows, snapshotSha256: hash.digest('hex') };
}
