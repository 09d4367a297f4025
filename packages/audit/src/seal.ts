import { createHmac, timingSafeEqual } from 'node:crypto';
import { AirlockError } from '@airlock/core';

/**
 * The audit MAC key: 32 or more secret bytes kept outside the database. Anyone who can write
 * `audit.events` can recompute its sha256 chain; without this key they cannot produce an event
 * (or an anchored head) that verifies.
 */
export type AuditKey = Buffer;

/** Shortest key accepted: 256 bits, the HMAC-SHA256 block strength. */
export const AUDIT_KEY_MIN_BYTES = 32;

let processKey: AuditKey | undefined;

/**
 * Set the key every audit write of this process signs with. Call once at start (the CLI runtime
 * and the test fixtures do); writes before it fail closed with AUDIT_WRITE_FAILED.
 */
export function useAuditKey(key: AuditKey): void {
  if (key.length < AUDIT_KEY_MIN_BYTES) {
    throw new AirlockError('CONFIG_INVALID', `The audit key has ${key.length} bytes; it needs at least ${AUDIT_KEY_MIN_BYTES}.`);
  }
  processKey = Buffer.from(key);
}

/** Whether {@link useAuditKey} has been called in this process. */
export function hasAuditKey(): boolean {
  return processKey !== undefined;
}

/** The key set by {@link useAuditKey}; throws AUDIT_WRITE_FAILED (the caller fails closed) when unset. */
export function currentAuditKey(): AuditKey {
  if (!processKey) {
    throw new AirlockError(
      'AUDIT_WRITE_FAILED',
      'No audit key is configured in this process, so audit events cannot be signed. Start through the airlock runtime, which loads AIRLOCK_AUDIT_KEY_FILE.',
    );
  }
  return processKey;
}

/** MAC of an event: HMAC-SHA256 over its chain hash, with a domain label. */
export function eventMac(key: AuditKey, hash: string): string {
  return createHmac('sha256', key).update(`airlock-audit-event\n${hash}`).digest('hex');
}

/** MAC of an anchored head (sequence number and hash), with its own domain label. */
export function anchorMac(key: AuditKey, seq: number, hash: string): string {
  return createHmac('sha256', key).update(`airlock-audit-anchor\n${seq}\n${hash}`).digest('hex');
}

/** Constant-time comparison of two hex MACs (false on a length or format mismatch). */
export function macEquals(expected: string, actual: string | null | undefined): boolean {
  if (typeof actual !== 'string' || actual.length !== expected.length || !/^[0-9a-f]+$/.test(actual)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(actual, 'hex'));
}
