import { hkdfSync } from 'node:crypto';
import { AirlockError, maxOf } from '@airlock/core';

/**
 * What a key is for. Each purpose gets its own subkey so one master key never serves two
 * constructions (a MAC key reused as an encryption key, or as the date-shift key, would tie their
 * security together).
 */
export type KeyPurpose = 'token' | 'vault' | 'shift';

/**
 * The narrow interface deidentification needs from a keyring (a file in development, a KMS in
 * production). Versions are positive integers; rotation adds a version and re-tokenizes.
 */
export interface KeyProvider {
  /** The version new tokens, vault entries and shifts use: the highest one held. */
  currentVersion(): number;
  /**
   * The 32-byte subkey for `purpose` under master key `version`. Throws `KEYRING_INVALID` for a
   * version the keyring does not hold.
   */
  key(version: number, purpose: KeyPurpose): Buffer;
}

/** One version of a 256-bit master key. */
export interface MasterKey {
  readonly version: number;
  readonly key: Buffer;
}

/** 256-bit master keys and subkeys (AES-256 and HMAC-SHA-256 both take 32 bytes). */
export const KEY_BYTES = 32;

// HKDF (RFC 5869) salt: fixed and public; it only separates Airlock's derivations from any other
// use of the same master bytes. The purpose goes in `info`, which is what RFC 5869 §3.2 reserves
// for binding a derived key to its application.
const HKDF_SALT = Buffer.from('airlock-keyring/1', 'utf8');

/** HKDF-SHA256 of a master key into the subkey for one purpose. */
export function deriveSubkey(master: Buffer, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', master, HKDF_SALT, `airlock ${purpose} key`, KEY_BYTES));
}

/**
 * A KeyProvider over master keys held in memory, deriving and caching subkeys. `source` names
 * where the keys came from, for error messages; key bytes never appear in any message.
 */
export class DerivedKeyring implements KeyProvider {
  readonly #masters = new Map<number, Buffer>();
  readonly #subkeys = new Map<string, Buffer>();
  readonly #current: number;
  readonly #source: string;

  constructor(masters: readonly MasterKey[], source: string) {
    this.#source = source;
    if (masters.length === 0) {
      throw new AirlockError('KEYRING_INVALID', `${source} holds no keys; add one version (addKeyVersion) before use`);
    }
    for (const { version, key } of masters) {
      if (!Number.isSafeInteger(version) || version < 1) {
        throw new AirlockError('KEYRING_INVALID', `${source}: key version ${String(version)} is not a positive integer`);
      }
      if (this.#masters.has(version)) {
        throw new AirlockError('KEYRING_INVALID', `${source}: key version ${version} appears twice; keep one`);
      }
      if (key.length !== KEY_BYTES) {
        throw new AirlockError(
          'KEYRING_INVALID',
          `${source}: key version ${version} is ${key.length} bytes, expected ${KEY_BYTES} (256 bits)`,
        );
      }
      this.#masters.set(version, Buffer.from(key));
    }
    this.#current = maxOf(this.#masters.keys());
  }

  currentVersion(): number {
    return this.#current;
  }

  /** The versions held, ascending. */
  versions(): number[] {
    return [...this.#masters.keys()].sort((a, b) => a - b);
  }

  key(version: number, purpose: KeyPurpose): Buffer {
    const id = `${version}/${purpose}`;
    let subkey = this.#subkeys.get(id);
    if (subkey === undefined) {
      const master = this.#masters.get(version);
      if (master === undefined) {
        throw new AirlockError(
          'KEYRING_INVALID',
          `${this.#source} has no key version ${String(version)} (it holds ${this.versions().join(', ')}); ` +
            'restore the keyring that made this token or vault entry',
        );
      }
      subkey = deriveSubkey(master, purpose);
      this.#subkeys.set(id, subkey);
    }
    // A copy: a caller that scribbles on the buffer must not corrupt every later token.
    return Buffer.from(subkey);
  }
}
