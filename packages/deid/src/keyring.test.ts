import { randomBytes } from 'node:crypto';
import { isAirlockError } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { InMemoryKeyring, deriveSubkey } from './index.ts';

describe('InMemoryKeyring', () => {
  it('derives a distinct 32-byte subkey per purpose and version, none equal to the master', () => {
    const masters = [1, 2].map((version) => ({ version, key: randomBytes(32) }));
    const keys = new InMemoryKeyring(masters);
    const seen = new Set<string>(masters.map((m) => m.key.toString('hex')));
    for (const version of [1, 2]) {
      for (const purpose of ['token', 'vault', 'shift'] as const) {
        const key = keys.key(version, purpose);
        expect(key).toHaveLength(32);
        expect(key.equals(keys.key(version, purpose))).toBe(true);
        seen.add(key.toString('hex'));
      }
    }
    expect(seen.size).toBe(2 + 6);
  });

  it('derives with HKDF-SHA256, so the same master gives the same subkeys anywhere', () => {
    const master = Buffer.alloc(32, 7);
    const keys = new InMemoryKeyring([{ version: 1, key: master }]);
    expect(keys.key(1, 'vault').equals(deriveSubkey(master, 'vault'))).toBe(true);
  });

  it('reports the highest version as current', () => {
    expect(InMemoryKeyring.generate(3).currentVersion()).toBe(3);
    expect(InMemoryKeyring.generate(3).versions()).toEqual([1, 2, 3]);
  });

  it('hands out copies, so a caller cannot corrupt the cached key', () => {
    const keys = InMemoryKeyring.generate();
    const before = keys.key(1, 'token').toString('hex');
    keys.key(1, 'token').fill(0);
    expect(keys.key(1, 'token').toString('hex')).toBe(before);
  });

  it('refuses an unknown version, wrong key lengths, duplicates and an empty ring, without showing keys', () => {
    const key = randomBytes(32);
    const keys = new InMemoryKeyring([{ version: 1, key }]);
    const attempts = [
      () => keys.key(2, 'token'),
      () => new InMemoryKeyring([{ version: 1, key: randomBytes(16) }]),
      () => new InMemoryKeyring([{ version: 1, key }, { version: 1, key }]),
      () => new InMemoryKeyring([{ version: 0, key }]),
      () => new InMemoryKeyring([]),
    ];
    for (const attempt of attempts) {
      let error: unknown;
      try {
        attempt();
      } catch (caught) {
        error = caught;
      }
      expect(isAirlockError(error, 'KEYRING_INVALID')).toBe(true);
      const message = (error as Error).message;
      expect(message).not.toContain(key.toString('base64'));
      expect(message).not.toContain(key.toString('hex'));
    }
  });
});
