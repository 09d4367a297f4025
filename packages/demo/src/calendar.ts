// UTC calendar arithmetic on whole days since 1970-01-01. `Date` and `toISOString` were a third
// of the generator's time; at a million rows the plain arithmetic below matters.

import { civilFromDays } from '@airlock/core';

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** Day of the week for a day number: 0 Sunday to 6 Saturday. */
export function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
// Cache of `YYYY-MM-DD` by day for 1900-01-01 to 2049-12-31, the span births and stays fall in;
// an array beats a Map keyed by doubles here.
const CACHE_FIRST_DAY = -25_567;
const dateStrings: (string | undefined)[] = new Array<string | undefined>(54_787).fill(undefined);

/** `YYYY-MM-DD` for a day number (days since 1970-01-01, UTC). */
export function dateString(days: number): string {
  const slot = days - CACHE_FIRST_DAY;
  const cached = dateStrings[slot];
  if (cached !== undefined) return cached;
  const [year, month, day] = civilFromDays(days);
  const text = `${year}-${TWO_DIGITS[month]!}-${TWO_DIGITS[day]!}`;
  if (slot >= 0 && slot < dateStrings.length) dateStrings[slot] = text;
  return text;
}

/** `YYYY-MM-DDTHH:MM:SSZ` for a UTC instant in milliseconds; milliseconds are dropped. */
export function timestamp(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const seconds = Math.floor((ms - days * DAY_MS) / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return `${dateString(days)}T${TWO_DIGITS[hours]!}:${TWO_DIGITS[minutes]!}:${TWO_DIGITS[seconds % 60]!}Z`;
}
