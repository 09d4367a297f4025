import type { DateGrain } from '@airlock/core';
import { MS_PER_DAY, formatDate, formatYear, pad2, parseDateInput, utcCalendarDate, utcMs, type CalendarDate } from './calendar.ts';

/**
 * The label of the bucket holding a date or timestamp, on its UTC calendar date:
 * day `2024-03-10`, week `2020-W53` (ISO 8601 week and week-year, so 2021-01-03 is `2020-W53`),
 * month `2024-03`, quarter `2024-Q1`, year `2024`. Null and undefined give null.
 * Throws {@link TransformError} for a malformed input.
 */
export function generalizeDate(value: string, grain: DateGrain): string;
export function generalizeDate(value: string | null | undefined, grain: DateGrain): string | null;
export function generalizeDate(value: string | null | undefined, grain: DateGrain): string | null {
  if (value === null || value === undefined) return null;
  const date = utcCalendarDate(parseDateInput(value).epochMs);
  switch (grain) {
    case 'day':
      return formatDate(date);
    case 'week': {
      const { weekYear, week } = isoWeek(date);
      return `${formatYear(weekYear)}-W${pad2(week)}`;
    }
    case 'month':
      return `${formatYear(date.year)}-${pad2(date.month)}`;
    case 'quarter':
      return `${formatYear(date.year)}-Q${quarterOf(date.month)}`;
    case 'year':
      return formatYear(date.year);
  }
}

/**
 * The first day (`YYYY-MM-DD`) of the bucket holding a date or timestamp, on its UTC calendar
 * date: the date itself for day, the Monday for an ISO week, the 1st of the month, quarter or
 * year. Null and undefined give null. Throws {@link TransformError} for a malformed input.
 */
export function dateBucketStart(value: string, grain: DateGrain): string;
export function dateBucketStart(value: string | null | undefined, grain: DateGrain): string | null;
export function dateBucketStart(value: string | null | undefined, grain: DateGrain): string | null {
  if (value === null || value === undefined) return null;
  const date = utcCalendarDate(parseDateInput(value).epochMs);
  switch (grain) {
    case 'day':
      return formatDate(date);
    case 'week':
      return formatDate(utcCalendarDate(utcMs(date.year, date.month, date.day) - isoWeekday(date) * MS_PER_DAY));
    case 'month':
      return formatDate({ ...date, day: 1 });
    case 'quarter':
      return formatDate({ year: date.year, month: (quarterOf(date.month) - 1) * 3 + 1, day: 1 });
    case 'year':
      return formatDate({ year: date.year, month: 1, day: 1 });
  }
}

function quarterOf(month: number): number {
  return Math.floor((month - 1) / 3) + 1;
}

/** Monday = 0 … Sunday = 6 (ISO 8601 numbers days 1–7 from Monday). */
function isoWeekday(date: CalendarDate): number {
  return (new Date(utcMs(date.year, date.month, date.day)).getUTCDay() + 6) % 7;
}

/**
 * ISO 8601 week: weeks start on Monday and week 1 is the one holding the year's first Thursday, so
 * a week belongs to the year of its Thursday (which may differ from the date's own year).
 */
function isoWeek(date: CalendarDate): { weekYear: number; week: number } {
  const thursdayMs = utcMs(date.year, date.month, date.day) + (3 - isoWeekday(date)) * MS_PER_DAY;
  const weekYear = utcCalendarDate(thursdayMs).year;
  const week = Math.floor((thursdayMs - utcMs(weekYear, 1, 1)) / (7 * MS_PER_DAY)) + 1;
  return { weekYear, week };
}
