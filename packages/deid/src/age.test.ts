import { describe, expect, it } from 'vitest';
import { TransformError, ageAt } from './index.ts';

describe('ageAt', () => {
  it('counts whole years, turning on the birthday', () => {
    expect(ageAt('1990-06-15', '2024-06-14', 90)).toBe(33);
    expect(ageAt('1990-06-15', '2024-06-15', 90)).toBe(34);
    expect(ageAt('1990-12-31', '2024-01-01', 90)).toBe(33);
    expect(ageAt('2024-03-10', '2024-03-10', 90)).toBe(0);
    expect(ageAt('2023-03-11', '2024-03-10', 90)).toBe(0);
  });

  it('has someone born on Feb 29 turn older on Mar 1 in non-leap years, Feb 29 in leap years', () => {
    expect(ageAt('2000-02-29', '2023-02-28', 90)).toBe(22);
    expect(ageAt('2000-02-29', '2023-03-01', 90)).toBe(23);
    expect(ageAt('2000-02-29', '2024-02-28', 90)).toBe(23);
    expect(ageAt('2000-02-29', '2024-02-29', 90)).toBe(24);
    expect(ageAt('2000-02-29', '2100-02-28', 120)).toBe(99); // 2100 is not a leap year
    expect(ageAt('2000-02-29', '2100-03-01', 120)).toBe(100);
  });

  it('top-codes at 90 per HIPAA Safe Harbor: 89 stays, 90 and over become 90 (“90 or older”)', () => {
    expect(ageAt('1935-01-02', '2025-01-01', 90)).toBe(89);
    expect(ageAt('1935-01-01', '2025-01-01', 90)).toBe(90);
    expect(ageAt('1920-05-05', '2025-01-01', 90)).toBe(90);
    expect(ageAt('1920-05-05', '2025-01-01', 80)).toBe(80);
  });

  it('takes the UTC date of timestamps', () => {
    // 2024-06-14T22:00-05:00 is 2024-06-15 in UTC: the birthday has come.
    expect(ageAt('1990-06-15', '2024-06-14T22:00:00-05:00', 90)).toBe(34);
    expect(ageAt('1990-06-15T01:00:00+02:00', '2024-06-14', 90)).toBe(34);
  });

  it('gives null for a null birth or reference', () => {
    expect(ageAt(null, '2024-01-01', 90)).toBeNull();
    expect(ageAt('2000-01-01', null, 90)).toBeNull();
    expect(ageAt(undefined, undefined, 90)).toBeNull();
  });

  it('rejects a birth after the reference date with a TransformError', () => {
    expect(() => ageAt('2024-03-11', '2024-03-10', 90)).toThrow(TransformError);
    expect(() => ageAt('2025-01-01', '2024-12-31', 90)).toThrow(/birth date is after the reference date/);
  });

  it('rejects malformed dates and a bad top code', () => {
    expect(() => ageAt('1990-02-30', '2024-01-01', 90)).toThrow(TransformError);
    expect(() => ageAt('1990-01-01', '2024-01-01', 0)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }) as Error);
  });
});
