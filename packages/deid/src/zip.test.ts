import { describe, expect, it } from 'vitest';
import { SAFE_HARBOR_RESTRICTED_ZIP3, TransformError, truncateZip } from './index.ts';

describe('truncateZip', () => {
  it('keeps the first digits of a 5-digit ZIP or ZIP+4, trimming spaces', () => {
    expect(truncateZip('02139', 3, false)).toBe('021');
    expect(truncateZip(' 02139-4307 ', 3, true)).toBe('021');
    expect(truncateZip('021394307', 5, false)).toBe('02139');
    expect(truncateZip('94110', 1, false)).toBe('9');
  });

  it('maps the 17 Safe Harbor ZIP3 areas of 20,000 or fewer people to 000 when zip3 is set', () => {
    const restricted = ['036', '059', '063', '102', '203', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893'];
    expect([...SAFE_HARBOR_RESTRICTED_ZIP3].sort()).toEqual(restricted);
    for (const zip3 of restricted) {
      expect(truncateZip(`${zip3}12`, 3, true)).toBe('000');
      expect(truncateZip(`${zip3}12-0001`, 3, false)).toBe(zip3);
    }
    expect(truncateZip('03601', 5, true)).toBe('00000');
    // Neighbours of restricted areas keep their digits.
    expect(truncateZip('03501', 3, true)).toBe('035');
    expect(truncateZip('89401', 3, true)).toBe('894');
    // Two digits span many ZIP3 areas: already coarser than Safe Harbor's ZIP3.
    expect(truncateZip('03601', 2, true)).toBe('03');
  });

  it('passes null through and rejects anything that is not a ZIP', () => {
    expect(truncateZip(null, 3, true)).toBeNull();
    for (const bad of ['', '2139', '021390', '02139-43', 'ABCDE', '02139-4307x', '0213 9']) {
      expect(() => truncateZip(bad, 3, true), bad).toThrow(TransformError);
    }
  });

  it('refuses a digit count outside 1–5', () => {
    for (const digits of [0, 6, 2.5]) {
      expect(() => truncateZip('02139', digits, false)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }) as Error);
    }
  });
});
