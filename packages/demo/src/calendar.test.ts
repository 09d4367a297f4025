import { describe, expect, it } from 'vitest';
import { civilFromDays } from '@airlock/core';
import { DAY_MS, dateString, timestamp, weekday } from './calendar.ts';

describe('calendar', () => {
  it('agrees with Date for every day from 1900 to 2100', () => {
    const mismatches: number[] = [];
    for (let days = Date.UTC(1900, 0, 1) / DAY_MS; days <= Date.UTC(2100, 11, 31) / DAY_MS; days++) {
      const date = new Date(days * DAY_MS);
      const [year, month, day] = civilFromDays(days);
      if (
        year !== date.getUTCFullYear() ||
        month !== date.getUTCMonth() + 1 ||
        day !== date.getUTCDate() ||
        weekday(days) !== date.getUTCDay() ||
        dateString(days) !== date.toISOString().slice(0, 10)
      ) {
        mismatches.push(days);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('formats instants as ISO 8601 UTC to the second', () => {
    for (const ms of [0, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2022, 0, 1, 0, 0, 1), Date.UTC(1931, 5, 7, 8, 9, 10)]) {
      expect(timestamp(ms)).toBe(`${new Date(ms).toISOString().slice(0, 19)}Z`);
    }
  });
});
