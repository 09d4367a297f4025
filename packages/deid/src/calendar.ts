import { TransformError } from './transform-error.ts';

/** A parsed date input: a calendar date, or an instant from a timestamp. */
export interface ParsedDateInput {
  readonly kind: 'date' | 'timestamp';
  /** Milliseconds since the epoch; for a date, UTC midnight of that day. */
  readonly epochMs: number;
}

/** A calendar date (proleptic Gregorian, UTC); month and day count from 1. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export const MS_PER_DAY = 86_400_000;

const ISO_INPUT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const INPUT_SHAPE = 'an ISO date (YYYY-MM-DD) or timestamp (YYYY-MM-DDTHH:MM[:SS[.fff]] with Z, ±HH:MM or no offset for UTC)';

/**
 * Parses `YYYY-MM-DD`, or a timestamp with an offset (`Z`, `±HH:MM`, `±HHMM`, `±HH`) or none,
 * which means UTC. Throws {@link TransformError} on any other shape or an impossible date or time.
 */
export function parseDateInput(value: string): ParsedDateInput {
  const match = ISO_INPUT.exec(value.trim());
  if (match === null) throw new TransformError({ reason: `not ${INPUT_SHAPE}` });
  const [, y, mo, d, h, mi, s, fraction, offset] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new TransformError({ reason: 'not a calendar date (month or day out of range)' });
  }
  if (h === undefined) return { kind: 'date', epochMs: utcMs(year, month, day) };

  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s ?? 0);
  // Leap seconds (:60) are refused: JavaScript time has no place for them.
  if (hour > 23 || minute > 59 || second > 59) throw new TransformError({ reason: 'not a time of day (hour, minute or second out of range)' });
  const millis = Number((fraction ?? '').padEnd(3, '0').slice(0, 3));
  return { kind: 'timestamp', epochMs: utcMs(year, month, day, hour, minute, second, millis) - offsetMinutes(offset) * 60_000 };
}

/** The UTC calendar date of an instant. */
export function utcCalendarDate(epochMs: number): CalendarDate {
  const date = new Date(epochMs);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** Epoch milliseconds of UTC midnight of a calendar date (month and day may overflow, as in Date). */
export function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millis = 0): number {
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime();
}

/** `YYYY-MM-DD`. */
export function formatDate({ year, month, day }: CalendarDate): string {
  return `${formatYear(year)}-${pad2(month)}-${pad2(day)}`;
}

/** A four-digit year (ISO 8601 basic range 0000–9999). */
export function formatYear(year: number): string {
  return String(year).padStart(4, '0');
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Gregorian leap year: every 4th year, except centuries not divisible by 400. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

function offsetMinutes(offset: string | undefined): number {
  if (offset === undefined || offset.toUpperCase() === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) throw new TransformError({ reason: 'has a UTC offset out of range' });
  return sign * (hours * 60 + minutes);
}
