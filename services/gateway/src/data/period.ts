import { grainFinerThan, type DateGrain } from '@airlock/core';
import { generalizeDate } from '@airlock/deid';
import type { ColumnType } from '@airlock/policy';
import { quoteIdent } from './sql-names.ts';

/** to_char formats of the period labels, matching @airlock/deid's generalizeDate. */
const LABEL_FORMAT: Record<DateGrain, string> = {
  day: 'YYYY-MM-DD',
  week: 'IYYY-"W"IW',
  month: 'YYYY-MM',
  quarter: 'YYYY-"Q"Q',
  year: 'YYYY',
};

/** SQL for the period label of a date or timestamp column at a grain (calendar dates in UTC). */
export function periodLabelSql(column: string, type: ColumnType, grain: DateGrain): string {
  const instant = type === 'timestamp' ? `(${quoteIdent(column)} at time zone 'UTC')` : `${quoteIdent(column)}::timestamp`;
  return `to_char(date_trunc('${grain}', ${instant}), '${LABEL_FORMAT[grain]}')`;
}

/**
 * The coarser buckets that wholly contain a period, which another query could publish: a month
 * lies in its quarter and year; a day in its ISO week, month, quarter and year; an ISO week only
 * in its ISO week-year (weeks straddle months and calendar years).
 */
export function periodParents(grain: DateGrain, label: string): string[] {
  switch (grain) {
    case 'day':
      return [generalizeDate(label, 'week'), generalizeDate(label, 'month'), generalizeDate(label, 'quarter'), `Y${label.slice(0, 4)}`];
    case 'week':
      return [`ISO${label.slice(0, 4)}`];
    case 'month':
      return [`${label.slice(0, 4)}-Q${Math.floor((Number(label.slice(5, 7)) - 1) / 3) + 1}`, `Y${label.slice(0, 4)}`];
    case 'quarter':
      return [`Y${label.slice(0, 4)}`];
    case 'year':
      return [];
  }
}

/** The grains a caller may ask for, coarsest last, given the policy's finest. */
export function allowedGrains(finest: DateGrain): DateGrain[] {
  return (['day', 'week', 'month', 'quarter', 'year'] as const).filter((g) => !grainFinerThan(g, finest));
}
