import { randomBytes } from 'node:crypto';
import { DerivedKeyring, KEY_BYTES, type MasterKey } from './key-provider.ts';

/** A keyring held in memory, for tests and for callers that fetch master keys themselves. */
export class InMemoryKeyring extends DerivedKeyring {
  /** Throws `KEYRING_INVALID` when empty, on a duplicate or non-positive version, or a key not 32 bytes. */
  constructor(masters: readonly MasterKey[]) {
    super(masters, 'in-memory keyring');
  }

  /** A keyring of `versions` fresh random master keys, numbered 1..versions. */
  static generate(versions = 1): InMemoryKeyring {
    return new InMemoryKeyring(Array.from({ length: versions }, (_, i) => ({ version: i + 1, key: randomBytes(KEY_BYTES) })));
  }
}
