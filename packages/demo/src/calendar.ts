// UTC calendar arithmetic on whole days since 1970-01-01. `Date` and `toISOString` were a third
// of the generator's time; at a million rows the plain arithmetic below matters.

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** Year, month (1–12) and day of month for a day number (days since 1970-01-01, UTC). */
export function civilFromDays(days: number): [year: number, month: number, day: number] {
  // Howard Hinnant's days_from_civil inverse, on 400-year eras of 146,097 days starting 0000-03-01.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

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
