import { describe, expect, it } from 'vitest';
import { InMemoryKeyring, InMemorySurrogateResolver, newSurrogate, openValue, sealValue } from './index.ts';

const keys = InMemoryKeyring.generate(2);

describe('vault crypto', () => {
  it('round-trips values, including empty and non-ASCII text', () => {
    for (const value of ['123-45-6789', '', 'Zoë Ångström 🙂']) {
      expect(openValue(keys, 'ssn', sealValue(keys, 'ssn', value))).toBe(value);
    }
  });

  it('writes vs1.<version>.<iv>.<tag>.<ciphertext> with a fresh IV each time', () => {
    const a = sealValue(keys, 'ssn', 'same');
    const b = sealValue(keys, 'ssn', 'same');
    expect(a).toMatch(/^vs1\.2\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same');
  });

  it('opens values sealed under an older key version', () => {
    const old = sealValue(keys, 'ssn', 'v1 value', 1);
    expect(old.startsWith('vs1.1.')).toBe(true);
    expect(openValue(keys, 'ssn', old)).toBe('v1 value');
  });

  it('detects tampering with the ciphertext, tag or IV', () => {
    const sealed = sealValue(keys, 'ssn', '123-45-6789');
    const parts = sealed.split('.');
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index]!, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      const altered = parts.map((part, i) => (i === index ? bytes.toString('base64url') : part)).join('.');
      expect(() => openValue(keys, 'ssn', altered)).toThrow(/failed authentication/);
    }
  });

  it('binds the domain and key version: a value moved elsewhere does not open', () => {
    const sealed = sealValue(keys, 'ssn', '123-45-6789', 2);
    expect(() => openValue(keys, 'mrn', sealed)).toThrow(/failed authentication/);
    expect(() => openValue(keys, 'ssn', sealed.replace(/^vs1\.2\./, 'vs1.1.'))).toThrow(/failed authentication/);
    expect(() => openValue(InMemoryKeyring.generate(2), 'ssn', sealed)).toThrow(/failed authentication/);
  });

  it('refuses text that is not a sealed value, and a missing key version', () => {
    for (const text of ['', 'plain', 'vs1.1.a.b', 'vs2.1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AA']) {
      expect(() => openValue(keys, 'ssn', text)).toThrow(/not a sealed value/);
    }
    const sealed = sealValue(keys, 'ssn', 'x').replace(/^vs1\.2\./, 'vs1.9.');
    expect(() => openValue(keys, 'ssn', sealed)).toThrow(expect.objectContaining({ code: 'KEYRING_INVALID' }) as Error);
  });
});

describe('surrogates', () => {
  it('are sg_ and 26 base32 characters (128 random bits), never repeating', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => newSurrogate('patient')));
    expect(seen.size).toBe(1000);
    for (const surrogate of seen) expect(surrogate).toMatch(/^sg_[a-z2-7]{26}$/);
  });

  it('are not derived from the value: the same value gets a new one from a new mapping', () => {
    const a = new InMemorySurrogateResolver().surrogateFor('patient', 'P1');
    const b = new InMemorySurrogateResolver().surrogateFor('patient', 'P1');
    expect(a.surrogate).not.toBe(b.surrogate);
  });

  it('the in-memory resolver is stable per domain and value, and says when it minted one', () => {
    const resolver = new InMemorySurrogateResolver();
    const first = resolver.surrogateFor('patient', 'P1');
    expect(first.created).toBe(true);
    expect(resolver.surrogateFor('patient', 'P1')).toEqual({ surrogate: first.surrogate, created: false });
    expect(resolver.surrogateFor('member', 'P1').surrogate).not.toBe(first.surrogate);
  });
});
