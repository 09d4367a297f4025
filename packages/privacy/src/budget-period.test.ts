import { describe, expect, it } from 'vitest';
import { budgetPeriod, nextBucketStart, type BudgetPeriodKind } from './budget-period.ts';

const at = (iso: string) => new Date(iso);

describe('budgetPeriod', () => {
  it.each([
    ['month', '2024-02-15T12:00:00Z', '2024-02-01', '2024-03-01'],
    ['month', '2024-12-31T23:59:59.999Z', '2024-12-01', '2025-01-01'],
    ['month', '2024-01-31T00:00:00Z', '2024-01-01', '2024-02-01'],
    ['month', '2024-03-01T00:00:00Z', '2024-03-01', '2024-04-01'],
    // Monday to Monday; 2024-12-31 is a Tuesday, 2025-01-05 a Sunday.
    ['week', '2024-12-31T08:00:00Z', '2024-12-30', '2025-01-06'],
    ['week', '2025-01-05T23:59:59Z', '2024-12-30', '2025-01-06'],
    ['week', '2025-01-06T00:00:00Z', '2025-01-06', '2025-01-13'],
    ['week', '2024-02-29T10:00:00Z', '2024-02-26', '2024-03-04'],
    ['quarter', '2024-11-30T10:00:00Z', '2024-10-01', '2025-01-01'],
    ['quarter', '2024-02-29T10:00:00Z', '2024-01-01', '2024-04-01'],
    ['quarter', '2024-06-30T23:59:59Z', '2024-04-01', '2024-07-01'],
    ['year', '2024-12-31T23:59:59.999Z', '2024-01-01', '2025-01-01'],
    ['year', '2025-01-01T00:00:00Z', '2025-01-01', '2026-01-01'],
    ['day', '2024-02-28T23:59:00Z', '2024-02-28', '2024-02-29'],
    ['day', '2024-02-29T12:00:00Z', '2024-02-29', '2024-03-01'],
    ['day', '2023-02-28T12:00:00Z', '2023-02-28', '2023-03-01'],
    ['day', '2024-12-31T12:00:00Z', '2024-12-31', '2025-01-01'],
  ] as const)('%s holding %s starts %s and renews %s', (kind, now, start, renews) => {
    expect(budgetPeriod(kind, at(now))).toEqual({ start, renews });
  });

  it('is in UTC whatever the offset the time was written with', () => {
    // 23:30 on March 31st at UTC−2 is already April 1st in UTC.
    expect(budgetPeriod('month', at('2024-03-31T23:30:00-02:00'))).toEqual({ start: '2024-04-01', renews: '2024-05-01' });
  });

  it.each(['day', 'week', 'month', 'quarter', 'year'] as const)('%s: periods tile time, each renewal starting the next period', (kind: BudgetPeriodKind) => {
    let { start, renews } = budgetPeriod(kind, at('2023-11-20T00:00:00Z'));
    for (let i = 0; i < 60; i++) {
      expect(renews > start).toBe(true);
      const next = budgetPeriod(kind, at(`${renews}T00:00:00Z`));
      expect(next.start).toBe(renews);
      // The last instant of a period is still in it.
      expect(budgetPeriod(kind, new Date(Date.parse(`${renews}T00:00:00Z`) - 1)).start).toBe(start);
      ({ start, renews } = next);
    }
  });
});

describe('nextBucketStart', () => {
  it.each([
    ['2024-02-29', 'day', '2024-03-01'],
    ['2023-12-31', 'day', '2024-01-01'],
    ['2024-12-30', 'week', '2025-01-06'],
    ['2024-02-26', 'week', '2024-03-04'],
    ['2024-01-01', 'month', '2024-02-01'],
    ['2024-12-01', 'month', '2025-01-01'],
    ['2024-10-01', 'quarter', '2025-01-01'],
    ['2024-01-01', 'quarter', '2024-04-01'],
    ['2024-01-01', 'year', '2025-01-01'],
  ] as const)('after %s (%s) comes %s', (start, kind, next) => {
    expect(nextBucketStart(start, kind)).toBe(next);
  });
});
