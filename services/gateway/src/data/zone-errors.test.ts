import { type AirlockError, httpStatusOf } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { zoneReadError } from './zone-errors.ts';

describe('zoneReadError', () => {
  it('maps a missing table to 404 and a table out of line with the policy to 409 with the fix, never 500', () => {
    const missing = zoneReadError(Object.assign(new Error('relation does not exist'), { code: '42P01' }), 'deidentified', 'visits');
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'No deidentified data for visits yet.' });
    for (const code of ['42703', '42501']) {
      const mismatch = zoneReadError(Object.assign(new Error('column "notes" does not exist'), { code }), 'deidentified', 'visits');
      expect(httpStatusOf(mismatch)).toBe(409);
      expect((mismatch as AirlockError).message).toMatch(/does not match its applied policy.*`airlock policy apply` or `airlock rebuild visits`/);
      // The database's own words (a column name the caller may not know of) stay out of the message.
      expect((mismatch as AirlockError).message).not.toMatch(/notes/);
    }
    const other = new Error('connection lost');
    expect(zoneReadError(other, 'synthetic', 'visits')).toBe(other);
  });
});
