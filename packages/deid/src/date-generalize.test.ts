import { describe, expect, it } from 'vitest';
import { TransformError, dateBucketStart, generalizeDate } from './index.ts';

describe('generalizeDate', () => {
  it('uses ISO 8601 week-years around New Year', () => {
    const cases: [string, string][] = [
      ['2020-12-31', '2020-W53'],
      ['2021-01-03', '2020-W53'],
      ['2021-01-04', '2021-W01'],
      ['2024-12-30', '2025-W01'],
      ['2024-12-29', '2024-W52'],
      ['2026-01-01', '2026-W01'],
      ['2015-12-31', '2015-W53'],
      ['2016-01-01', '2015-W53'],
      ['2008-12-29', '2009-W01'],
      ['2024-03-10', '2024-W10'],
    ];
    for (const [date, week] of cases) expect(generalizeDate(date, 'week'), date).toBe(week);
  });

  it('labels months, quarters and years at their boundaries', () => {
    expect(generalizeDate('2024-03-31', 'month')).toBe('2024-03');
    expect(generalizeDate('2024-04-01', 'month')).toBe('2024-04');
    expect(generalizeDate('2024-03-31', 'quarter')).toBe('2024-Q1');
    expect(generalizeDate('2024-04-01', 'quarter')).toBe('2024-Q2');
    expect(generalizeDate('2024-09-30', 'quarter')).toBe('2024-Q3');
    expect(generalizeDate('2024-12-31', 'quarter')).toBe('2024-Q4');
    expect(generalizeDate('2024-12-31', 'year')).toBe('2024');
    expect(generalizeDate('2025-01-01', 'year')).toBe('2025');
    expect(generalizeDate('2024-02-29', 'month')).toBe('2024-02');
    expect(generalizeDate('2024-02-29', 'day')).toBe('2024-02-29');
  });

  it('reads timestamps on their UTC calendar date', () => {
    expect(generalizeDate('2024-03-31T23:30:00-05:00', 'month')).toBe('2024-04');
    expect(generalizeDate('2024-03-31T23:30:00-05:00', 'day')).toBe('2024-04-01');
    expect(generalizeDate('2024-03-31T23:30:00-05:00', 'quarter')).toBe('2024-Q2');
    expect(generalizeDate('2025-01-01T01:00:00+02:00', 'year')).toBe('2024');
    expect(generalizeDate('2024-03-31T23:30:00Z', 'month')).toBe('2024-03');
    expect(generalizeDate('2024-03-31T23:30', 'month')).toBe('2024-03');
    expect(generalizeDate('2024-03-31 23:30:00.123456+0530', 'day')).toBe('2024-03-31');
    expect(generalizeDate('2020-12-31T22:00:00-03:00', 'week')).toBe('2020-W53');
  });

  it('passes null and undefined through as null', () => {
    expect(generalizeDate(null, 'month')).toBeNull();
    expect(generalizeDate(undefined, 'week')).toBeNull();
  });

  it('rejects malformed and impossible dates with a TransformError that does not echo the value', () => {
    for (const bad of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '10/03/2024', '2024-3-1', '2024-03-10T24:00', '2024-03-10T12:00+25:00', '']) {
      expect(() => generalizeDate(bad, 'month'), bad).toThrow(TransformError);
    }
    try {
      generalizeDate('1999-02-30', 'year');
    } catch (error) {
      expect((error as TransformError).code).toBe('INGEST_ROW_REJECTED');
      expect((error as TransformError).message).not.toContain('1999');
    }
  });
});

describe('dateBucketStart', () => {
  it('gives the first day of the bucket: Monday for ISO weeks', () => {
    expect(dateBucketStart('2021-01-03', 'week')).toBe('2020-12-28');
    expect(dateBucketStart('2020-12-31', 'week')).toBe('2020-12-28');
    expect(dateBucketStart('2024-12-30', 'week')).toBe('2024-12-30');
    expect(dateBucketStart('2025-01-05', 'week')).toBe('2024-12-30');
    expect(dateBucketStart('2024-02-29', 'month')).toBe('2024-02-01');
    expect(dateBucketStart('2024-06-30', 'quarter')).toBe('2024-04-01');
    expect(dateBucketStart('2024-12-31', 'quarter')).toBe('2024-10-01');
    expect(dateBucketStart('2024-12-31', 'year')).toBe('2024-01-01');
    expect(dateBucketStart('2024-03-31T23:30:00-05:00', 'month')).toBe('2024-04-01');
    expect(dateBucketStart('2024-03-10', 'day')).toBe('2024-03-10');
    expect(dateBucketStart(null, 'week')).toBeNull();
  });

  it('agrees with generalizeDate on every day of 2020–2026', () => {
    for (let day = Date.UTC(2020, 0, 1); day <= Date.UTC(2026, 11, 31); day += 86_400_000) {
      const date = new Date(day).toISOString().slice(0, 10);
      for (const grain of ['week', 'month', 'quarter', 'year'] as const) {
        const start = dateBucketStart(date, grain);
        expect(generalizeDate(start, grain)).toBe(generalizeDate(date, grain));
        expect(start <= date).toBe(true);
      }
      if (new Date(day).getUTCDay() === 1) expect(dateBucketStart(date, 'week')).toBe(date);
    }
  });
});
