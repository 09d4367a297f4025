import { describe, expect, it } from 'vitest';
import { InMemoryKeyring, TransformError, shiftDate } from './index.ts';

const keys = InMemoryKeyring.generate(2);
const dayDiff = (a: string, b: string): number => (Date.parse(a) - Date.parse(b)) / 86_400_000;

describe('shiftDate', () => {
  it('moves all of a subject’s dates by the same offset, keeping intervals', () => {
    const admitted = shiftDate(keys, 'P1', '2024-02-27', 30);
    const discharged = shiftDate(keys, 'P1', '2024-03-02', 30);
    expect(dayDiff(discharged, admitted)).toBe(dayDiff('2024-03-02', '2024-02-27'));
    expect(shiftDate(keys, 'P1', '2024-02-27', 30)).toBe(admitted);
  });

  it('keeps offsets within ±maxDays and spreads subjects over the range', () => {
    const offsets = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const offset = dayDiff(shiftDate(keys, `subject-${i}`, '2024-01-01', 7), '2024-01-01');
      expect(Math.abs(offset)).toBeLessThanOrEqual(7);
      expect(Number.isInteger(offset)).toBe(true);
      offsets.add(offset);
    }
    expect(offsets.size).toBe(15);
  });

  it('depends on the key and its version', () => {
    const shifts = (k: InMemoryKeyring, version?: number): string[] =>
      Array.from({ length: 20 }, (_, i) => shiftDate(k, `s${i}`, '2024-01-01', 365, version));
    expect(shifts(keys, 1)).not.toEqual(shifts(keys, 2));
    expect(shifts(keys)).not.toEqual(shifts(InMemoryKeyring.generate(2)));
  });

  it('keeps a timestamp’s time of day and answers in UTC', () => {
    const date = shiftDate(keys, 'P1', '2024-03-11', 30);
    const stamp = shiftDate(keys, 'P1', '2024-03-10T23:30:00-05:00', 30);
    expect(stamp).toBe(`${date}T04:30:00.000Z`);
    expect(shiftDate(keys, 'P1', '2024-03-11T04:30:00Z', 30)).toBe(stamp);
  });

  it('crosses month, year and leap-day boundaries on the calendar', () => {
    for (const subject of ['a', 'b', 'c', 'd', 'e']) {
      const base = shiftDate(keys, subject, '2024-02-28', 400);
      const next = shiftDate(keys, subject, '2024-02-29', 400);
      const later = shiftDate(keys, subject, '2024-03-01', 400);
      expect(dayDiff(next, base)).toBe(1);
      expect(dayDiff(later, base)).toBe(2);
      expect(next).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('passes null through, and rejects bad dates, empty subjects and bad maxDays', () => {
    expect(shiftDate(keys, 'P1', null, 30)).toBeNull();
    expect(() => shiftDate(keys, 'P1', '2024-02-30', 30)).toThrow(TransformError);
    expect(() => shiftDate(keys, '', '2024-02-01', 30)).toThrow(TransformError);
    for (const maxDays of [0, -3, 1.5, Number.NaN]) {
      expect(() => shiftDate(keys, 'P1', '2024-02-01', maxDays)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }) as Error);
    }
  });
});
