import { AirlockError } from '@airlock/core';
import { isLeapYear, parseDateInput, utcCalendarDate } from './calendar.ts';
import { TransformError } from './transform-error.ts';

/**
 * Age in whole years at `reference`, both taken as UTC calendar dates, top-coded: an age at or
 * above `topCode` is returned as `topCode`, which then means "topCode or older". Airlock policies
 * use 90, from HIPAA Safe Harbor 45 CFR 164.514(b)(2)(i)(C): ages over 89 are aggregated into a
 * single category of 90 or older, represented here as the integer 90.
 *
 * Someone born on Feb 29 turns a year older on Mar 1 in non-leap years (the day after Feb 28), the
 * reading that never credits a birthday before it has arrived.
 *
 * A null or undefined input gives null. Throws {@link TransformError} for a malformed date or a
 * birth after the reference date, `BAD_REQUEST` when topCode is not a positive integer.
 */
export function ageAt(birth: string, reference: string, topCode: number): number;
export function ageAt(birth: string | null | undefined, reference: string | null | undefined, topCode: number): number | null;
export function ageAt(birth: string | null | undefined, reference: string | null | undefined, topCode: number): number | null {
  if (!Number.isSafeInteger(topCode) || topCode < 1) {
    throw new AirlockError('BAD_REQUEST', `age top code must be a positive whole number of years, got ${String(topCode)}; fix the policy`);
  }
  if (birth === null || birth === undefined || reference === null || reference === undefined) return null;
  const born = utcCalendarDate(parseDateInput(birth).epochMs);
  const at = utcCalendarDate(parseDateInput(reference).epochMs);

  const leapling = born.month === 2 && born.day === 29 && !isLeapYear(at.year);
  const birthday = leapling ? { month: 3, day: 1 } : born;
  const beforeBirthday = at.month < birthday.month || (at.month === birthday.month && at.day < birthday.day);
  const age = at.year - born.year - (beforeBirthday ? 1 : 0);
  if (age < 0) throw new TransformError({ reason: 'birth date is after the reference date' });
  return Math.min(age, topCode);
}
