import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AirlockError } from '@airlock/core';
import type { KeyProvider } from './key-provider.ts';
import { assertDomain } from './normalize.ts';

// NIST SP 800-38D §8.2: 96-bit IVs for GCM; random IVs stay safe for up to 2^32 messages per key,
// and rotation (a new key version) resets that count.
const IV_BYTES = 12;
// Full 128-bit tag: SP 800-38D §5.2.1.2 allows shorter ones, but they buy nothing here.
const TAG_BYTES = 16;
const FORMAT = 'vs1';
const SEALED_PATTERN = /^vs1\.([1-9][0-9]*)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;

/**
 * Encrypts a value for the vault with AES-256-GCM under the vault subkey of `version` (default:
 * the keyring's current one) and a random 96-bit IV. The domain and key version are bound as
 * associated data, so a value sealed for one domain does not open in another.
 *
 * Output: `vs1.<key version>.<iv>.<tag>.<ciphertext>`, the binary parts base64url.
 */
export function sealValue(keys: KeyProvider, domain: string, value: string, version: number = keys.currentVersion()): string {
  assertDomain(domain);
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', keys.key(version, 'vault'), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(domain, version));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
  return [FORMAT, String(version), ...parts].join('.');
}

// IVs come from a pool of CSPRNG bytes refilled 4 KiB at a time: one getrandom call per ~340
// seals instead of one per seal (ingest seals a value per row). Each IV is used once.
const IV_POOL_BYTES = 4096;
let ivPool = Buffer.alloc(0);
let ivOffset = 0;

function nextIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

/**
 * Decrypts a value sealed by {@link sealValue} for `domain`. Throws `INTERNAL` when the text is
 * not a sealed value or fails authentication (altered, or sealed for another domain), and
 * `KEYRING_INVALID` when the keyring lacks its key version.
 */
export function openValue(keys: KeyProvider, domain: string, sealed: string): string {
  assertDomain(domain);
  const match = SEALED_PATTERN.exec(sealed);
  const [, versionText, ivText, tagText, ciphertextText] = match ?? [];
  const iv = Buffer.from(ivText ?? '', 'base64url');
  const tag = Buffer.from(tagText ?? '', 'base64url');
  const version = Number(versionText);
  if (match === null || !Number.isSafeInteger(version) || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new AirlockError('INTERNAL', 'vault entry is not a sealed value (vs1.<version>.<iv>.<tag>.<ciphertext>); restore the vault row from backup');
  }
  const decipher = createDecipheriv('aes-256-gcm', keys.key(version, 'vault'), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(domain, version));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(Buffer.from(ciphertextText ?? '', 'base64url')), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new AirlockError(
      'INTERNAL',
      `vault entry in domain "${domain}" failed authentication: it was altered, or sealed for another domain; restore the vault row from backup`,
      { cause: error },
    );
  }
}

function associatedData(domain: string, version: number): Buffer {
  return Buffer.from(`airlock-vault/1\0${domain}\0${version}`, 'utf8');
}
