import { AirlockError } from '@airlock/core';
import type { AirlockDatabase, ZoneTransaction } from '@airlock/db';
import { sql } from 'kysely';
import { buildAuditEvent, GENESIS_HASH, type AuditEvent, type AuditEventInput } from './event.ts';

/** Advisory lock key that serializes chain appends (any constant shared by all writers). */
const CHAIN_LOCK_KEY = 0x6169_7264; // "aird"

export interface AuditLog {
  /**
   * Append one event. Fails closed: when the write fails this throws AUDIT_WRITE_FAILED, and the
   * caller must fail the action it was auditing.
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
        .withZone('audit', (trx) => appendInTransaction(trx, input, clock()), { readOnly: false })
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
 * Append inside an open transaction that may write `audit.events` (the audit role). Writers
 * queue on one advisory lock, so each sees the previous head; `prev_hash` is UNIQUE, so even a
 * writer that skipped the lock could not fork the chain.
 */
export async function appendInTransaction(trx: ZoneTransaction, input: AuditEventInput, at: Date): Promise<AuditEvent> {
  await sql`select pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`.execute(trx);
  const head = await trx
    .selectFrom('audit.events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const event = buildAuditEvent(input, (head?.seq ?? 0) + 1, at, head?.hash ?? GENESIS_HASH);
  await trx
    .insertInto('audit.events')
    .values({
      seq: event.seq,
      at: event.at,
      event_type: event.type,
      actor: event.actor,
      roles: event.roles,
      action: event.action,
      dataset: event.dataset,
      zone: event.zone,
      outcome: event.outcome,
      details: JSON.stringify(event.details),
      prev_hash: event.prevHash,
      hash: event.hash,
    })
    .execute();
  return event;
}
