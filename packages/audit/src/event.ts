import { AirlockError, canonicalJson, sha256Hex, storableText, storableValue } from '@airlock/core';
import type { AuditEventsTable } from '@airlock/db';
import type { Selectable } from 'kysely';
import { eventMac, type AuditKey } from './seal.ts';

/**
 * The closed vocabulary of audit events. The database holds the same list in
 * `audit.event_types` (a foreign key), so an unknown type fails there too.
 */
export const AUDIT_EVENT_TYPES = [
  'db.migrate',
  'policy.apply',
  'query',
  'ingest',
  'ingest.remove',
  'rebuild',
  'detokenize',
  'keys.rotate',
  'synth.release',
  'train.request',
  'train.start',
  'train.end',
  'train.cancel',
  'model.promote',
  'model.predict',
  'model.feedback',
  'audit.verify',
  'aggregate.release',
  'budget.reset',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export const AUDIT_OUTCOMES = ['allowed', 'denied', 'error'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** What a caller says happened. */
export interface AuditEventInput {
  type: AuditEventType;
  /** Who: the JWT subject, `cli:<os user>`, or `system`. */
  actor: string;
  roles: readonly string[];
  /** What was attempted, e.g. the GraphQL operation name or the CLI command. */
  action: string;
  dataset?: string | null | undefined;
  zone?: string | null | undefined;
  outcome: AuditOutcome;
  /** Counts, hashes, reasons. Never row contents or key material. */
  details?: Record<string, unknown> | undefined;
}

/** An event as stored: the input plus its place in the chain. */
export interface AuditEvent {
  seq: number;
  at: Date;
  type: AuditEventType;
  actor: string;
  roles: string[];
  action: string;
  dataset: string | null;
  zone: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
  /** HMAC of `hash` under the audit key (outside the database); null on events from before audit MACs. */
  mac: string | null;
}

/** prev_hash of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The one function that turns an input into the fields to store (validated, normalized). */
export function buildAuditEvent(input: AuditEventInput, seq: number, at: Date, prevHash: string, key: AuditKey): AuditEvent {
  if (!(AUDIT_EVENT_TYPES as readonly string[]).includes(input.type)) {
    throw new AirlockError('AUDIT_WRITE_FAILED', `Unknown audit event type "${input.type}".`);
  }
  if (!(AUDIT_OUTCOMES as readonly string[]).includes(input.outcome)) {
    throw new AirlockError('AUDIT_WRITE_FAILED', `Unknown audit outcome "${input.outcome}".`);
  }
  // Milliseconds only: the stored timestamptz must read back to the same instant for the hash.
  const event: Omit<AuditEvent, 'hash' | 'mac'> = {
    seq,
    at: new Date(at.getTime()),
    type: input.type,
    // Caller-supplied text may hold a NUL or an unpaired surrogate, which PostgreSQL cannot store
    // (or stores changed): replaced here, so every request can be audited and what is hashed is
    // what is stored.
    actor: storableText(input.actor),
    roles: input.roles.map(storableText),
    action: storableText(input.action),
    dataset: input.dataset == null ? null : storableText(input.dataset),
    zone: input.zone == null ? null : storableText(input.zone),
    outcome: input.outcome,
    // Round-trip through JSON so what we hash is exactly what jsonb will give back.
    details: storableValue(JSON.parse(JSON.stringify(input.details ?? {})) as Record<string, unknown>),
    prevHash,
  };
  const hash = hashEvent(event);
  return { ...event, hash, mac: eventMac(key, hash) };
}

/** sha256 over the previous hash and the canonical encoding of the event's fields. */
export function hashEvent(event: Omit<AuditEvent, 'hash' | 'mac'>): string {
  const body = canonicalJson({
    seq: event.seq,
    at: event.at.toISOString(),
    type: event.type,
    actor: event.actor,
    roles: event.roles,
    action: event.action,
    dataset: event.dataset,
    zone: event.zone,
    outcome: event.outcome,
    details: event.details,
  });
  return sha256Hex(`${event.prevHash}\n${body}`);
}

/** A stored `audit.events` row as an event (the one mapping from the table's columns). */
export function eventFromRow(row: Selectable<AuditEventsTable>): AuditEvent {
  return {
    seq: row.seq,
    at: row.at,
    type: row.event_type as AuditEventType,
    actor: row.actor,
    roles: row.roles,
    action: row.action,
    dataset: row.dataset,
    zone: row.zone,
    outcome: row.outcome as AuditOutcome,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
    mac: row.mac,
  };
}
