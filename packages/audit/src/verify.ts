import type { AirlockDatabase } from '@airlock/db';
import { eventFromRow, GENESIS_HASH, hashEvent } from './event.ts';

export type VerifyResult =
  | { kind: 'intact'; events: number; headHash: string }
  | { kind: 'broken'; events: number; seq: number; reason: string };

const BATCH = 5_000;

/**
 * Recompute the chain from the first event and name the first broken one: a changed row (its
 * hash no longer matches), a removed row (a gap in `seq`, or the next row's `prev_hash` no longer
 * matches), or a reordered one. Removing only the newest events leaves a valid shorter chain:
 * keep the printed head hash elsewhere to detect that.
 */
export async function verifyAuditChain(
  database: AirlockDatabase,
  onProgress?: (checked: number) => void,
): Promise<VerifyResult> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const rows = await database.withZone('audit', (trx) =>
      trx
        .selectFrom('audit.events')
        .selectAll()
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(BATCH)
        .execute(),
    );
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        return broken(expectedSeq - 1, expectedSeq, `event ${expectedSeq} is missing (next stored event is ${row.seq})`);
      }
      if (row.prev_hash !== prevHash) {
        return broken(expectedSeq - 1, row.seq, `prev_hash does not match the hash of event ${row.seq - 1}`);
      }
      const { hash: _stored, ...event } = eventFromRow(row);
      const recomputed = hashEvent(event);
      if (recomputed !== row.hash) {
        return broken(expectedSeq - 1, row.seq, `its contents no longer match its hash (changed after it was written)`);
      }
      prevHash = row.hash;
      expectedSeq += 1;
    }
    onProgress?.(expectedSeq - 1);
    if (rows.length < BATCH) return { kind: 'intact', events: expectedSeq - 1, headHash: prevHash };
  }
}

function broken(events: number, seq: number, reason: string): VerifyResult {
  return { kind: 'broken', events, seq, reason };
}
