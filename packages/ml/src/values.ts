/**
 * Reading raw cell values, as database drivers and JSON bodies deliver them, into the few shapes
 * the encoder and the drift monitor work with. Each reader returns `null` for a missing value and
 * `undefined` for a value it cannot read; callers turn `undefined` into an error that names the
 * feature (and never echoes the value, which is data).
 */

/** A date reduced to what the encoder uses: the year and, when the grain allows, the month (1–12). */
export interface DateParts {
  readonly year: number;
  readonly month: number | null;
}

/** Numbers, bigints and numeric strings (PostgreSQL NUMERIC and BIGINT arrive as strings). */
export function readNumber(value: unknown): number | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return null;
    const parsed = Number(trimmed);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

const TRUE_STRINGS = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE_STRINGS = new Set(['false', 'f', 'no', 'n', '0']);

/** Booleans, 0/1, and the usual spellings ('t'/'f', 'true'/'false', 'yes'/'no'), case-insensitive. */
export function readBoolean(value: unknown): boolean | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === '') return null;
    if (TRUE_STRINGS.has(lower)) return true;
    if (FALSE_STRINGS.has(lower)) return false;
  }
  return undefined;
}

/** Any scalar as a category label; objects are refused because their text would be meaningless. */
export function readCategory(value: unknown): string | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/;
const YEAR_MONTH = /^(\d{4})-(\d{2})$/;
const YEAR_QUARTER = /^(\d{4})-Q([1-4])$/i;
const YEAR_WEEK = /^(\d{4})-W(\d{2})$/i;
const YEAR_ONLY = /^(\d{4})$/;

/**
 * Dates and timestamps: `Date` objects (read in UTC), `YYYY-MM-DD`, ISO or PostgreSQL timestamps
 * (the calendar date as written, before any offset), and the generalized forms the deidentifier
 * produces: `YYYY-MM`, `YYYY-Qn` (month: the quarter's middle month), `YYYY-Www` (ISO week; month:
 * that of the week's Thursday, which fixes the ISO year) and `YYYY` (month unknown).
 */
export function readDate(value: unknown): DateParts | null | undefined {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? undefined : { year: value.getUTCFullYear(), month: value.getUTCMonth() + 1 };
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return null;
  let match = FULL_DATE.exec(text);
  if (match) {
    const month = Number(match[2]);
    const day = Number(match[3]);
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 ? { year: Number(match[1]), month } : undefined;
  }
  match = YEAR_MONTH.exec(text);
  if (match) {
    const month = Number(match[2]);
    return month >= 1 && month <= 12 ? { year: Number(match[1]), month } : undefined;
  }
  match = YEAR_QUARTER.exec(text);
  if (match) return { year: Number(match[1]), month: Number(match[2]) * 3 - 1 };
  match = YEAR_WEEK.exec(text);
  if (match) return isoWeekParts(Number(match[1]), Number(match[2]));
  match = YEAR_ONLY.exec(text);
  if (match) return { year: Number(match[1]), month: null };
  return undefined;
}

/** A date as a fractional year (mid-month, or mid-year when the month is unknown), for drift binning. */
export function decimalYear(parts: DateParts): number {
  return parts.year + (parts.month === null ? 0.5 : (parts.month - 0.5) / 12);
}

function isoWeekParts(year: number, week: number): DateParts | undefined {
  if (week < 1 || week > 53) return undefined;
  // ISO 8601: week 1 is the week holding January 4th; weeks run Monday to Sunday.
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(jan4 + ((week - 1) * 7 - jan4Weekday + 3) * 86_400_000);
  if (week === 53 && thursday.getUTCFullYear() !== year) return undefined; // the year has only 52 weeks
  return { year, month: thursday.getUTCMonth() + 1 };
}
