import { isAirlockError } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { InMemoryKeyring, normalizeValue, parseTokenVersion, tokenize } from './index.ts';

const keys = new InMemoryKeyring([
  { version: 1, key: Buffer.alloc(32, 1) },
  { version: 2, key: Buffer.alloc(32, 2) },
]);
const patient = { domain: 'patient', caseFold: false };
const email = { domain: 'email', caseFold: true };

describe('tokenize', () => {
  it('is tk<version>_ and 32 lower-case base32 characters (160 bits)', () => {
    expect(tokenize(keys, patient, 'P-0001')).toMatch(/^tk2_[a-z2-7]{32}$/);
    expect(tokenize(keys, patient, 'P-0001', 1)).toMatch(/^tk1_[a-z2-7]{32}$/);
  });

  it('is deterministic per domain, version and value, also across keyring instances', () => {
    const again = new InMemoryKeyring([{ version: 2, key: Buffer.alloc(32, 2) }]);
    expect(tokenize(keys, patient, 'P-0001')).toBe(tokenize(keys, patient, 'P-0001'));
    expect(tokenize(again, patient, 'P-0001')).toBe(tokenize(keys, patient, 'P-0001', 2));
  });

  it('differs across values, domains and key versions', () => {
    const tokens = new Set([
      tokenize(keys, patient, 'P-0001', 1),
      tokenize(keys, patient, 'P-0002', 1),
      tokenize(keys, { domain: 'member', caseFold: false }, 'P-0001', 1),
      tokenize(keys, patient, 'P-0001', 2),
    ]);
    expect(tokens.size).toBe(4);
    // Version aside, the MAC bodies differ too: rotation is not a relabelling.
    const body = (token: string): string => token.slice(token.indexOf('_'));
    expect(body(tokenize(keys, patient, 'P-0001', 1))).not.toBe(body(tokenize(keys, patient, 'P-0001', 2)));
  });

  it('keeps domain and value apart (no ambiguity from concatenation)', () => {
    expect(tokenize(keys, { domain: 'ab', caseFold: false }, 'c')).not.toBe(tokenize(keys, { domain: 'a', caseFold: false }, 'bc'));
  });

  it('normalizes NFC, trims and collapses inner whitespace; folds case only when asked', () => {
    const composed = 'Jos\u00e9 Garc\u00eda';
    const decomposed = 'Jose\u0301  Garci\u0301a';
    expect(tokenize(keys, patient, ` ${decomposed}\t`)).toBe(tokenize(keys, patient, composed));
    expect(tokenize(keys, patient, 'A\n\n B')).toBe(tokenize(keys, patient, 'A B'));
    expect(tokenize(keys, patient, 'Ann')).not.toBe(tokenize(keys, patient, 'ann'));
    expect(tokenize(keys, email, ' Ann@Example.org ')).toBe(tokenize(keys, email, 'ann@example.org'));
    expect(normalizeValue(' A  B ', true)).toBe('a b');
  });

  it('refuses an empty domain or one with NUL', () => {
    for (const domain of ['', 'a\0b']) {
      expect(() => tokenize(keys, { domain, caseFold: false }, 'x')).toThrow(/token domain/);
    }
  });

  it('throws KEYRING_INVALID for a version the keyring lacks', () => {
    expect(() => tokenize(keys, patient, 'x', 3)).toThrow(expect.objectContaining({ code: 'KEYRING_INVALID' }) as Error);
    try {
      tokenize(keys, patient, 'x', 3);
    } catch (error) {
      expect(isAirlockError(error, 'KEYRING_INVALID')).toBe(true);
    }
  });
});

describe('parseTokenVersion', () => {
  it('reads the version of a token and rejects anything else', () => {
    expect(parseTokenVersion(tokenize(keys, patient, 'x', 1))).toBe(1);
    expect(parseTokenVersion(`tk12_${'a'.repeat(32)}`)).toBe(12);
    for (const text of ['', 'tk_abc', `tk0_${'a'.repeat(32)}`, `tk1_${'a'.repeat(31)}`, `tk1_${'A'.repeat(32)}`, `sg_${'a'.repeat(26)}`]) {
      expect(parseTokenVersion(text)).toBeUndefined();
    }
  });
});
