import { dateBucketStart } from '@airlock/deid';

/** How often a budget renews; UTC calendar periods, weeks from Monday. */
export type BudgetPeriodKind = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** The current budget period: its first day and the first day of the next (YYYY-MM-DD, UTC). */
export interface BudgetPeriodSpan {
  start: string;
  renews: string;
}

/** The period holding `now`, and when the next one starts. */
export function budgetPeriod(kind: BudgetPeriodKind, now: Date): BudgetPeriodSpan {
  const start = dateBucketStart(now.toISOString(), kind);
  return { start, renews: nextBucketStart(start, kind) };
}

/** First day of the bucket after the one starting on `start`. */
export function nextBucketStart(start: string, kind: BudgetPeriodKind): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  switch (kind) {
    case 'day':
      date.setUTCDate(date.getUTCDate() + 1);
      break;
    case 'week':
      date.setUTCDate(date.getUTCDate() + 7);
      break;
    case 'month':
      date.setUTCMonth(date.getUTCMonth() + 1);
      break;
    case 'quarter':
      date.setUTCMonth(date.getUTCMonth() + 3);
      break;
    case 'year':
      date.setUTCFullYear(date.getUTCFullYear() + 1);
      break;
  }
  return date.toISOString().slice(0, 10);
}
