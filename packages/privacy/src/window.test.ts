import { isAirlockError } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { alignWindow, periodsIn } from './window.ts';

describe('alignWindow', () => {
  it('widens a window to whole months: 2024-01-05..2024-02-10 → 2024-01-01..2024-02-29 (a leap year)', () => {
    expect(alignWindow('2024-01-05', '2024-02-10', 'month', 'week')).toMatchObject({ from: '2024-01-01', to: '2024-02-29', widened: true, grain: 'month' });
    expect(alignWindow('2023-02-10', '2023-02-10', 'month', 'week')).toMatchObject({ from: '2023-02-01', to: '2023-02-28', widened: true, grain: 'month' });
  });

  it.each([
    ['2024-01-01', '2024-02-29', 'month'],
    ['2024-01-01', '2024-12-31', 'quarter'],
    ['2024-01-01', '2025-12-31', 'year'],
    ['2024-01-01', '2024-01-14', 'week'],
    ['2024-03-05', '2024-03-05', 'day'],
  ] as const)('leaves an aligned window alone: %s..%s at %s', (from, to, grain) => {
    expect(alignWindow(from, to, grain, 'day')).toEqual({ from, to, widened: false, grain, explanation: null });
  });

  it('aligns weeks to ISO weeks, Monday to Sunday, across a year end', () => {
    // 2024-01-03 is a Wednesday; 2024-01-10 too. 2024-12-31 is a Tuesday: its week ends 2025-01-05.
    expect(alignWindow('2024-01-03', '2024-01-10', 'week', 'day')).toMatchObject({ from: '2024-01-01', to: '2024-01-14', widened: true, grain: 'week' });
    expect(alignWindow('2024-12-31', '2024-12-31', 'week', 'week')).toMatchObject({ from: '2024-12-30', to: '2025-01-05', widened: true, grain: 'week' });
    // A Sunday starts nothing: it is the last day of the week that began on the Monday before.
    expect(alignWindow('2024-03-10', '2024-03-10', 'week', 'week')).toMatchObject({ from: '2024-03-04', to: '2024-03-10' });
  });

  it('aligns quarters and years', () => {
    expect(alignWindow('2024-11-15', '2025-02-01', 'quarter', 'week')).toMatchObject({ from: '2024-10-01', to: '2025-03-31', widened: true, grain: 'quarter' });
    expect(alignWindow('2023-06-30', '2024-07-01', 'year', 'week')).toMatchObject({ from: '2023-01-01', to: '2024-12-31', widened: true, grain: 'year' });
  });

  it('uses the policy’s finest grain when it is coarser than the bucket grain', () => {
    // Daily buckets under a weekly policy: a window still moves by whole weeks, so two windows one day apart cannot isolate a day.
    expect(alignWindow('2024-01-03', '2024-01-03', 'day', 'week')).toMatchObject({ from: '2024-01-01', to: '2024-01-07', widened: true, grain: 'week' });
    expect(alignWindow('2024-01-03', '2024-01-10', 'week', 'month')).toMatchObject({ from: '2024-01-01', to: '2024-01-31', widened: true, grain: 'month' });
    // The coarser bucket grain wins over a finer policy grain.
    expect(alignWindow('2024-05-03', '2024-05-03', 'year', 'week')).toMatchObject({ from: '2024-01-01', to: '2024-12-31', grain: 'year' });
  });

  it('aligns an open side on its own and leaves the other open', () => {
    expect(alignWindow('2024-01-05', undefined, 'month', 'week')).toMatchObject({ from: '2024-01-01', to: null, widened: true, grain: 'month' });
    expect(alignWindow(undefined, '2024-02-10', 'month', 'week')).toMatchObject({ from: null, to: '2024-02-29', widened: true, grain: 'month' });
    expect(alignWindow(undefined, undefined, 'month', 'week')).toMatchObject({ from: null, to: null, widened: false, grain: 'month' });
  });

  it.each(['2024-02-30', '2023-02-29', '2024-13-45', '2024-00-10', '2024-1-5', '2024-01-05T00:00:00Z', 'yesterday', ''])('refuses "%s" with BAD_REQUEST and names the value', (bad) => {
    for (const call of [() => alignWindow(bad, '2024-12-31', 'month', 'week'), () => alignWindow('2024-01-01', bad, 'month', 'week')]) {
      let caught: unknown;
      try {
        call();
      } catch (error) {
        caught = error;
      }
      expect(isAirlockError(caught, 'BAD_REQUEST')).toBe(true);
      expect((caught as Error).message).toContain(`"${bad}"`);
      expect((caught as Error).message).toContain('YYYY-MM-DD');
    }
  });

  it('explains both ends of the weekly window 1999-01-01..1999-12-31 (a Friday to a Friday)', () => {
    expect(alignWindow('1999-01-01', '1999-12-31', 'week', 'week').explanation).toBe(
      'from 1999-01-01 (a Friday) was moved back to 1998-12-28, the Monday its week starts; ' +
        'to 1999-12-31 (a Friday) was moved forward to 2000-01-02, the Sunday its week ends: ' +
        "weeks are released whole so that two windows one day apart cannot isolate a day's people.",
    );
  });

  it('explains only the end that moved, with the first or last day of a month, quarter or year', () => {
    expect(alignWindow('2024-01-01', '2024-03-05', 'month', 'week').explanation).toBe(
      "to 2024-03-05 was moved forward to 2024-03-31, the last day of its month: months are released whole so that two windows one day apart cannot isolate a day's people.",
    );
    expect(alignWindow('2024-11-15', undefined, 'quarter', 'week').explanation).toMatch(/^from 2024-11-15 was moved back to 2024-10-01, the first day of its quarter: quarters are released whole/);
    expect(alignWindow(undefined, '2024-05-03', 'year', 'week').explanation).toMatch(/^to 2024-05-03 was moved forward to 2024-12-31, the last day of its year: years/);
  });

  it('names the policy’s grain when it overrode the bucket grain, moved or not', () => {
    expect(alignWindow('2024-01-03', '2024-01-03', 'day', 'week').explanation).toBe(
      "The window is aligned to whole weeks, the policy's finest date grain, not to the days you bucket by: from 2024-01-03 (a Wednesday) was moved back to 2024-01-01, the Monday its week starts; " +
        "to 2024-01-03 (a Wednesday) was moved forward to 2024-01-07, the Sunday its week ends: weeks are released whole so that two windows one day apart cannot isolate a day's people.",
    );
    expect(alignWindow('2024-01-01', '2024-01-07', 'day', 'week')).toMatchObject({ widened: false, explanation: expect.stringMatching(/finest date grain, not to the days you bucket by; it already was/) });
  });

  it('refuses from after to, also inside one period (catches comparing only the widened bounds)', () => {
    expect(() => alignWindow('2024-03-01', '2024-02-01', 'month', 'week')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    // Both days are in January: widened, the window would be all of January.
    expect(() => alignWindow('2024-01-20', '2024-01-10', 'month', 'week')).toThrow(/must not be after "to"/);
    expect(alignWindow('2024-01-10', '2024-01-10', 'month', 'week')).toMatchObject({ from: '2024-01-01', to: '2024-01-31' });
  });
});

describe('periodsIn', () => {
  it('labels weeks across a year end, with ISO week years (2020 has 53 weeks)', () => {
    expect(periodsIn('2024-12-20', '2025-01-10', 'week')).toEqual(['2024-W51', '2024-W52', '2025-W01', '2025-W02']);
    expect(periodsIn('2020-12-20', '2021-01-05', 'week')).toEqual(['2020-W51', '2020-W52', '2020-W53', '2021-W01']);
    // 2024-12-30 is in ISO week 1 of 2025.
    expect(periodsIn('2024-12-30', '2024-12-31', 'week')).toEqual(['2025-W01']);
  });

  it('labels months, quarters and years across a year end', () => {
    expect(periodsIn('2024-11-15', '2025-02-01', 'month')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(periodsIn('2024-08-01', '2025-01-01', 'quarter')).toEqual(['2024-Q3', '2024-Q4', '2025-Q1']);
    expect(periodsIn('2023-06-01', '2025-01-01', 'year')).toEqual(['2023', '2024', '2025']);
    expect(periodsIn('2024-02-27', '2024-03-01', 'day')).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
  });

  it('gives the periods of an aligned window, one per bucket', () => {
    const window = alignWindow('2024-01-05', '2024-02-10', 'month', 'week');
    expect(periodsIn(window.from!, window.to!, 'month')).toEqual(['2024-01', '2024-02']);
    const weeks = alignWindow('2024-01-03', '2024-03-31', 'week', 'week');
    expect(periodsIn(weeks.from!, weeks.to!, 'week')).toHaveLength(13);
  });

  it('refuses a window of more than 5,000 periods with BAD_REQUEST', () => {
    expect(periodsIn('2000-01-01', '2013-09-08', 'day')).toHaveLength(5000);
    expect(() => periodsIn('2000-01-01', '2013-09-09', 'day')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });
});
