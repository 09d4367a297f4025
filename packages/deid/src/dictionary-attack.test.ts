import { createHmac, hash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InMemoryKeyring, deriveSubkey, tokenize } from './index.ts';

/*
 * An attacker holds deidentified tokens and enumerates every SSN-like value in a range that
 * contains the true ones (123-GG-SSSS: 100 groups × 10,000 serials = 1,000,000 candidates). Unkeyed
 * hashes and HMAC under a guessed key must match no token; only the real key does.
 */
const DOMAIN = 'ssn';
const spec = { domain: DOMAIN, caseFold: false };
const GROUPS = Array.from({ length: 100 }, (_, g) => `123-${String(g).padStart(2, '0')}-`);
const SERIALS = Array.from({ length: 10_000 }, (_, s) => String(s).padStart(4, '0'));
const candidate = (i: number): string => GROUPS[Math.floor(i / 10_000)]! + SERIALS[i % 10_000]!;
const CANDIDATES = 1_000_000;

describe('dictionary attack on SSN tokens', () => {
  const keys = InMemoryKeyring.generate();
  const truth = ['123-45-6789', '123-00-0001', '123-99-9999', '123-07-4242', '123-63-1000'];
  // The 160-bit MAC body of each token, which is what a candidate hash would have to equal.
  const bodies = truth.map((ssn) => base32Decode(tokenize(keys, spec, ssn).slice('tk1_'.length)));
  // A first-32-bit prefilter keeps the loop to one integer lookup per candidate; a full 160-bit
  // comparison decides.
  const heads = new Set(bodies.map((body) => body.readUInt32BE(0)));
  const matchesToken = (digest: Buffer): boolean =>
    heads.has(digest.readUInt32BE(0)) && bodies.some((body) => body.equals(digest.subarray(0, 20)));

  it('the candidate range holds every true value', () => {
    for (const ssn of truth) {
      const [, group, serial] = ssn.split('-').map(Number);
      expect(candidate(group! * 10_000 + serial!)).toBe(ssn);
    }
    expect(candidate(CANDIDATES - 1)).toBe('123-99-9999');
  });

  it('unkeyed SHA-256, with or without the domain, matches no token', () => {
    let matches = 0;
    for (let i = 0; i < CANDIDATES; i++) {
      const value = candidate(i);
      if (matchesToken(hash('sha256', value, 'buffer'))) matches++;
      if (matchesToken(hash('sha256', `${DOMAIN}\0${value}`, 'buffer'))) matches++;
    }
    expect(matches).toBe(0);
  });

  it('HMAC under a wrong key, built exactly like the real tokens, matches no token', () => {
    const wrongKey = deriveSubkey(randomBytes(32), 'token');
    let matches = 0;
    for (let i = 0; i < CANDIDATES; i++) {
      const mac = createHmac('sha256', wrongKey).update(`${DOMAIN}\0${candidate(i)}`).digest();
      if (matchesToken(mac)) matches++;
    }
    expect(matches).toBe(0);
  });

  it('control: the same harness with the real key finds every true value, so the key is the protection', () => {
    const realKey = keys.key(1, 'token');
    const found: string[] = [];
    // The whole range would take as long as the attacks above; the five true values sit in these groups.
    for (const group of [0, 7, 45, 63, 99]) {
      for (let serial = 0; serial < 10_000; serial++) {
        const value = candidate(group * 10_000 + serial);
        if (matchesToken(createHmac('sha256', realKey).update(`${DOMAIN}\0${value}`).digest())) found.push(value);
      }
    }
    expect(found.sort()).toEqual([...truth].sort());
  });
});

/** RFC 4648 base32 (lower-case, unpadded) back to bytes, for comparing token bodies with digests. */
function base32Decode(text: string): Buffer {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text) {
    buffer = (buffer << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}
