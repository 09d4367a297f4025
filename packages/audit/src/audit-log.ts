import { AirlockError } from '@airlock/core';
import { sqlRunner, type AirlockDatabase, type SqlRunner } from '@airlock/db';
import { anchorOf } from './anchor.ts';
import { buildAuditEvent, GENESIS_HASH, type AuditEvent, type AuditEventInput } from './event.ts';
import { anchorMac, currentAuditKey, eventMac, macEquals } from './seal.ts';

/** Advisory lock key that serializes chain appends (any constant shared by all writers). */
const CHAIN_LOCK_KEY = 0x6169_7264; // "aird"

export interface AuditLog {
  /**
   * Append one event. Fails closed: when the write fails this throws AUDIT_WRITE_FAILED, and the
   * caller must fail the action it was auditing. Resolves once the event is committed and the
   * database's anchor (see `anchorAuditLog`) records it.
   */
  append(input: AuditEventInput): Promise<AuditEvent>;
  /** Resolves when every append started so far has finished (for graceful shutdown). */
  flush(): Promise<void>;
}

/** Audit log over the database, writing as the `audit` role (INSERT and SELECT only). */
export function createAuditLog(database: AirlockDatabase, clock: () => Date = () => new Date()): AuditLog {
  const inFlight = new Set<Promise<unknown>>();
  return {
    append(input) {
      const pending = database
        .withZone('audit', (trx) => appendInTransaction(sqlRunner(trx), input, clock()), { readOnly: false })
        .then(async (event) => {
          // After the commit only: an anchored head that was rolled back would be a false alarm.
          const anchor = anchorOf(database);
          const key = currentAuditKey();
          if (anchor) await anchor.advance({ seq: event.seq, hash: event.hash, mac: anchorMac(key, event.seq, event.hash) });
          return event;
        })
        .catch((cause: unknown) => {
          throw new AirlockError('AUDIT_WRITE_FAILED', `The audit event could not be written, so the action was refused: ${(cause as Error).message}`, {
            cause,
          });
        });
      inFlight.add(pending);
      void pending.finally(() => inFlight.delete(pending)).catch(() => undefined);
      return pending;
    },
    async flush() {
      await Promise.allSettled([...inFlight]);
    },
  };
}

/**
 * Append inside an open transaction whose current role may write `audit.events` (the audit
 * role), so an action and its audit event can commit together. Writers queue on one advisory
 * lock, so each sees the previous head; `prev_hash` is UNIQUE, so even a writer that skipped the
 * lock could not fork the chain. The event is signed with the process's audit key
 * (`useAuditKey`); without one this throws AUDIT_WRITE_FAILED. Its head is anchored by the next
 * `createAuditLog` append or by {@link anchorAuditHead}.
 */
export async function appendInTransaction(runner: SqlRunner, input: AuditEventInput, at: Date): Promise<AuditEvent> {
  const key = currentAuditKey();
  await runner.query('select pg_advisory_xact_lock($1)', [CHAIN_LOCK_KEY]);
  const [head] = await runner.query<{ seq: number; hash: string }>('select seq, hash from audit.events order by seq desc limit 1');
  const event = buildAuditEvent(input, head ? Number(head.seq) + 1 : 1, at, head?.hash ?? GENESIS_HASH, key);
  await runner.query(
    `insert into audit.events (seq, at, event_type, actor, roles, action, dataset, zone, outcome, details, prev_hash, hash, mac)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13)`,
    [
      event.seq,
      event.at.toISOString(),
      event.type,
      event.actor,
      event.roles,
      event.action,
      event.dataset,
      event.zone,
      event.outcome,
      JSON.stringify(event.details),
      event.prevHash,
      event.hash,
      event.mac,
    ],
  );
  return event;
}

/**
 * Record the newest committed event in the database's anchor, if its MAC verifies (a forged
 * head is not anchored). For shutdown and after commands that audit inside their own
 * transactions. Returns the anchored sequence number, or undefined when there is nothing to do.
 */
export async function anchorAuditHead(database: AirlockDatabase): Promise<number | undefined> {
  const anchor = anchorOf(database);
  if (!anchor) return undefined;
  const key = currentAuditKey();
  const [head] = await database.withZone('audit', (trx) =>
    trx.selectFrom('audit.events').select(['seq', 'hash', 'mac']).orderBy('seq', 'desc').limit(1).execute(),
  );
  if (!head || !macEquals(eventMac(key, head.hash), head.mac)) return undefined;
  const seq = Number(head.seq);
  await anchor.advance({ seq, hash: head.hash, mac: anchorMac(key, seq, head.hash) });
  return seq;
}
