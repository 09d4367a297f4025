import { grainFinerThan, type DateGrain } from '@airlock/core';
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

/** SQL for the UTC calendar date of a date or timestamp column. */
export function calendarDateSql(column: string, type: ColumnType): string {
  return type === 'timestamp' ? `(${quoteIdent(column)} at time zone 'UTC')::date` : quoteIdent(column);
}

/** SQL for the period label of a date or timestamp column at a grain (calendar dates in UTC). */
export function periodLabelSql(column: string, type: ColumnType, grain: DateGrain): string {
  return `to_char(date_trunc('${grain}', ${calendarDateSql(column, type)}::timestamp), '${LABEL_FORMAT[grain]}')`;
}

/** The grains a caller may ask for, coarsest last, given the policy's finest. */
export function allowedGrains(finest: DateGrain): DateGrain[] {
  return (['day', 'week', 'month', 'quarter', 'year'] as const).filter((g) => !grainFinerThan(g, finest));
}
