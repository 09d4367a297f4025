import type { AirlockDatabase } from '@airlock/db';
import { anchorOf, type AnchoredHead, type AuditAnchor } from './anchor.ts';
import { eventFromRow, GENESIS_HASH, hashEvent } from './event.ts';
import { anchorMac, currentAuditKey, eventMac, macEquals, type AuditKey } from './seal.ts';

/** The anchor a verification checked against, for the report. */
export interface CheckedAnchor {
  /** Where it is kept (a path, or `memory`). */
  where: string;
  /** The anchored head (undefined: none recorded yet). */
  head: { seq: number; hash: string } | undefined;
}

export type VerifyResult =
  | {
      kind: 'intact';
      events: number;
      /** The newest event checked (0 and the genesis hash on an empty log). */
      headSeq: number;
      headHash: string;
      /** The anchor the chain was checked against; undefined when none is configured. */
      anchor: CheckedAnchor | undefined;
    }
  | { kind: 'broken'; events: number; seq: number; reason: string; anchor: CheckedAnchor | undefined };

export interface VerifyOptions {
  /** MAC key; default the process's (`useAuditKey`). */
  key?: AuditKey;
  /** Head kept outside the database; default the one registered for `database` (`anchorAuditLog`). */
  anchor?: AuditAnchor | undefined;
  onProgress?: (checked: number) => void;
}

const BATCH = 5_000;

/**
 * Recompute the chain from the first event and name the first broken one. Each event must follow
 * the previous one (no gap in `seq`, `prev_hash` equal to the previous hash), match its own hash,
 * and carry a valid MAC under the audit key, which is not in the database: so an edited event, a
 * renumbered or recomputed chain, and an event inserted by a role that may only INSERT are all
 * found. The chain must also reach the head kept in the anchor outside the database, with the
 * same hash there, so removing the newest events (or all of them) is found too.
 */
export async function verifyAuditChain(database: AirlockDatabase, options: VerifyOptions = {}): Promise<VerifyResult> {
  const key = options.key ?? currentAuditKey();
  const anchorStore = 'anchor' in options ? options.anchor : anchorOf(database);
  let anchored: AnchoredHead | undefined;
  let checkedAnchor: CheckedAnchor | undefined;
  if (anchorStore) {
    try {
      anchored = await anchorStore.read();
    } catch (error) {
      return { kind: 'broken', events: 0, seq: 0, reason: (error as Error).message, anchor: { where: anchorStore.where, head: undefined } };
    }
    checkedAnchor = { where: anchorStore.where, head: anchored && { seq: anchored.seq, hash: anchored.hash } };
    if (anchored && !macEquals(anchorMac(key, anchored.seq, anchored.hash), anchored.mac)) {
      return {
        kind: 'broken',
        events: 0,
        seq: anchored.seq,
        reason: `the anchored head in ${anchorStore.where} does not carry a valid MAC (the anchor was altered, or the audit key changed)`,
        anchor: checkedAnchor,
      };
    }
  }
  const broken = (events: number, seq: number, reason: string): VerifyResult => ({ kind: 'broken', events, seq, reason, anchor: checkedAnchor });

  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const rows = await database.withZone('audit', (trx) =>
      trx.selectFrom('audit.events').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(BATCH).execute(),
    );
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) {
        return broken(expectedSeq - 1, expectedSeq, `event ${expectedSeq} is missing (next stored event is ${seq})`);
      }
      if (row.prev_hash !== prevHash) {
        return broken(expectedSeq - 1, seq, `prev_hash does not match the hash of event ${seq - 1}`);
      }
      const { hash: _stored, mac: _mac, ...event } = eventFromRow(row);
      if (hashEvent(event) !== row.hash) {
        return broken(expectedSeq - 1, seq, `its contents no longer match its hash (changed after it was written)`);
      }
      if (row.mac === null) {
        return broken(expectedSeq - 1, seq, `it has no MAC (written before audit MACs, or inserted by someone without the audit key)`);
      }
      if (!macEquals(eventMac(key, row.hash), row.mac)) {
        return broken(expectedSeq - 1, seq, `its MAC does not verify (written or rewritten without the audit key)`);
      }
      if (anchored && seq === anchored.seq && row.hash !== anchored.hash) {
        return broken(expectedSeq - 1, seq, `it differs from the head anchored in ${anchorStore!.where} (the chain was rewritten)`);
      }
      prevHash = row.hash;
      expectedSeq += 1;
    }
    options.onProgress?.(expectedSeq - 1);
    if (rows.length < BATCH) break;
  }
  const events = expectedSeq - 1;
  if (anchored && anchored.seq > events) {
    return broken(
      events,
      events + 1,
      `events ${events + 1}..${anchored.seq} are missing: the anchor in ${anchorStore!.where} records event ${anchored.seq}, the log ends at ${events}`,
    );
  }
  return { kind: 'intact', events, headSeq: events, headHash: prevHash, anchor: checkedAnchor };
}
