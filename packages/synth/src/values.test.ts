import { createRng } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { formatNumber, readColumn } from './values.ts';

describe('formatNumber', () => {
  it('writes dates and timestamps exactly as Date does', () => {
    const rng = createRng(1);
    for (let i = 0; i < 5_000; i++) {
      const ms = Math.round((rng.next() - 0.5) * 3.2e13); // about 1463 to 2477
      const days = Math.floor(ms / 86_400_000);
      expect(formatNumber('timestamp', ms)).toBe(new Date(ms).toISOString());
      expect(formatNumber('date', days)).toBe(new Date(days * 86_400_000).toISOString().slice(0, 10));
    }
    for (const days of [-719_468, -1, 0, 59, 60, 11_016, 2_932_896, 2_932_897]) {
      expect(formatNumber('date', days)).toBe(new Date(days * 86_400_000).toISOString().slice(0, 10));
    }
  });

  it('rounds integers and keeps nulls', () => {
    expect(formatNumber('integer', 2.5)).toBe(3);
    expect(formatNumber('numeric', Number.NaN)).toBeNull();
  });
});

describe('readColumn', () => {
  it('reads numbers from numeric text, dates as days, booleans as text', () => {
    expect(Array.from(readColumn([{ a: '39' }, { a: 40 }, { a: null }], { name: 'a', kind: 'integer' }).values as Float64Array)).toEqual([39, 40, Number.NaN]);
    expect(Array.from(readColumn([{ d: '1970-01-02' }], { name: 'd', kind: 'date' }).values as Float64Array)).toEqual([1]);
    expect(readColumn([{ b: true }, { b: 'false' }, { b: null }], { name: 'b', kind: 'boolean' }).values).toEqual(['true', 'false', null]);
    expect(() => readColumn([{ b: 'yes' }], { name: 'b', kind: 'boolean' })).toThrow(/boolean but row 0 holds "yes"/);
  });
});
