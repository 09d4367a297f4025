import { describe, expect, it } from 'vitest';
import { base32 } from './base32.ts';

describe('base32', () => {
  it('matches the RFC 4648 §10 test vectors, lower-cased and unpadded', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'my'],
      ['fo', 'mzxq'],
      ['foo', 'mzxw6'],
      ['foob', 'mzxw6yq'],
      ['fooba', 'mzxw6ytb'],
      ['foobar', 'mzxw6ytboi'],
    ];
    for (const [input, encoded] of vectors) expect(base32(Buffer.from(input))).toBe(encoded);
  });

  it('encodes 20 bytes in 32 characters and 16 bytes in 26', () => {
    expect(base32(Buffer.alloc(20, 0xff))).toBe('7'.repeat(32));
    expect(base32(Buffer.alloc(16, 0))).toHaveLength(26);
  });
});
