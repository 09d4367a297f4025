import { createHmac } from 'node:crypto';
import { AirlockError } from '@airlock/core';
import { MS_PER_DAY, formatDate, parseDateInput, utcCalendarDate } from './calendar.ts';
import type { KeyProvider } from './key-provider.ts';
import { TransformError } from './transform-error.ts';

/**
 * Shifts a date or timestamp by the subject's keyed offset, a whole number of days in
 * [−maxDays, +maxDays]: HMAC-SHA-256(shift subkey of `version`, subjectKey) mod (2·maxDays+1) −
 * maxDays. Every date of one subject moves by the same offset, so intervals between them are kept;
 * the offset cannot be recomputed without the key. A date gives `YYYY-MM-DD`; a timestamp keeps
 * its time of day and gives UTC ISO (`2024-03-11T04:30:00.000Z`). Null and undefined give null.
 *
 * `version` defaults to the keyring's current one; rotating keys changes every offset, so a
 * dataset must be shifted under one version. Throws {@link TransformError} for a malformed date or
 * an empty subject key, `BAD_REQUEST` when maxDays is not a positive integer.
 */
export function shiftDate(keys: KeyProvider, subjectKey: string, value: string, maxDays: number, version?: number): string;
export function shiftDate(
  keys: KeyProvider,
  subjectKey: string,
  value: string | null | undefined,
  maxDays: number,
  version?: number,
): string | null;
export function shiftDate(
  keys: KeyProvider,
  subjectKey: string,
  value: string | null | undefined,
  maxDays: number,
  version: number = keys.currentVersion(),
): string | null {
  if (!Number.isSafeInteger(maxDays) || maxDays < 1) {
    throw new AirlockError('BAD_REQUEST', `shift maxDays must be a positive whole number of days, got ${String(maxDays)}; fix the policy`);
  }
  if (value === null || value === undefined) return null;
  const parsed = parseDateInput(value);
  if (subjectKey.length === 0) throw new TransformError({ reason: 'a shifted date needs the row subject, which is empty' });
  const shifted = parsed.epochMs + subjectOffsetDays(keys, subjectKey, maxDays, version) * MS_PER_DAY;
  return parsed.kind === 'date' ? formatDate(utcCalendarDate(shifted)) : new Date(shifted).toISOString();
}

function subjectOffsetDays(keys: KeyProvider, subjectKey: string, maxDays: number, version: number): number {
  const mac = createHmac('sha256', keys.key(version, 'shift')).update(subjectKey, 'utf8').digest();
  // 64 MAC bits reduced mod (2·maxDays+1): the modulo bias is below span/2^64, negligible for
  // any span of days.
  const span = BigInt(2 * maxDays + 1);
  return Number(mac.readBigUInt64BE(0) % span) - maxDays;
}
