import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAirlockError } from '@airlock/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEYRING_FORMAT, addKeyVersion, openKeyring, openOrCreateKeyring, tokenize } from './index.ts';

// POSIX mode bits are what these tests check; Windows has none (see file-keyring.ts).
const posix = process.platform !== 'win32';

describe.runIf(posix)('file keyring', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-keyring-'));
    path = join(dir, 'keyring.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const modeOf = (file: string): number => statSync(file).mode & 0o777;
  const refusal = (open: () => unknown): Error => {
    try {
      open();
    } catch (error) {
      expect(isAirlockError(error, 'KEYRING_INVALID')).toBe(true);
      return error as Error;
    }
    throw new Error('expected KEYRING_INVALID');
  };
  const writeKeyring = (content: unknown, mode = 0o600): void => {
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    chmodSync(path, mode);
  };

  it('creates the file on first use with mode 0600 and one 32-byte key, then reopens the same keys', () => {
    const created = openOrCreateKeyring(path);
    expect(modeOf(path)).toBe(0o600);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { format: string; keys: { version: number; created_at: string; key: string }[] };
    expect(file.format).toBe(KEYRING_FORMAT);
    expect(file.keys).toHaveLength(1);
    expect(file.keys[0]!.version).toBe(1);
    expect(Buffer.from(file.keys[0]!.key, 'base64')).toHaveLength(32);
    expect(Number.isNaN(Date.parse(file.keys[0]!.created_at))).toBe(false);

    const spec = { domain: 'patient', caseFold: false };
    expect(tokenize(openOrCreateKeyring(path), spec, 'P1')).toBe(tokenize(created, spec, 'P1'));
    expect(openKeyring(path).currentVersion()).toBe(1);
    expect(readdirSync(dir)).toEqual(['keyring.json']);
  });

  it('refuses a group- or world-readable file and says how to fix it', () => {
    openOrCreateKeyring(path);
    chmodSync(path, 0o644);
    const error = refusal(() => openOrCreateKeyring(path));
    expect(error.message).toContain(path);
    expect(error.message).toContain('0644');
    expect(error.message).toContain(`chmod 600 ${path}`);
    chmodSync(path, 0o640);
    refusal(() => openKeyring(path));
    chmodSync(path, 0o600);
    expect(openKeyring(path).currentVersion()).toBe(1);
  });

  it('refuses malformed files without quoting their content, and never replaces them', () => {
    const secret = Buffer.alloc(32, 9).toString('base64');
    const bad: unknown[] = [
      `{"format": "${KEYRING_FORMAT}", "keys": [{"version": 1, "key": "${secret}"`,
      { format: 'other/1', keys: [{ version: 1, created_at: 'x', key: secret }] },
      { format: KEYRING_FORMAT, keys: [] },
      { format: KEYRING_FORMAT, keys: [{ version: 0, created_at: 'x', key: secret }] },
      { format: KEYRING_FORMAT, keys: [{ version: 1, created_at: 'x', key: secret }, { version: 1, created_at: 'x', key: secret }] },
      { format: KEYRING_FORMAT, keys: [{ version: 1, key: secret }] },
      { format: KEYRING_FORMAT, keys: [{ version: 1, created_at: 'x', key: 'not base64!' }] },
    ];
    for (const content of bad) {
      writeKeyring(content);
      const before = readFileSync(path, 'utf8');
      const error = refusal(() => openOrCreateKeyring(path));
      expect(error.message).toContain(path);
      expect(error.message).not.toContain(secret);
      expect(error.cause).toBeUndefined();
      expect(readFileSync(path, 'utf8')).toBe(before);
    }
  });

  it('refuses a key of the wrong length without showing it', () => {
    const short = Buffer.alloc(16, 3).toString('base64');
    writeKeyring({ format: KEYRING_FORMAT, keys: [{ version: 1, created_at: '2024-01-01T00:00:00Z', key: short }] });
    const error = refusal(() => openKeyring(path));
    expect(error.message).toContain('key version 1 is not base64 of 32 bytes');
    expect(error.message).not.toContain(short);
  });

  it('openKeyring refuses a missing file instead of creating one', () => {
    expect(refusal(() => openKeyring(path)).message).toContain(path);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses to create a keyring in a missing folder', () => {
    const error = refusal(() => openOrCreateKeyring(join(dir, 'missing', 'keyring.json')));
    expect(error.message).toContain('ENOENT');
  });

  it('addKeyVersion appends a version atomically, keeps old keys and mode 0600', () => {
    const first = openOrCreateKeyring(path);
    const spec = { domain: 'patient', caseFold: false };
    const v1Token = tokenize(first, spec, 'P1');
    expect(addKeyVersion(path)).toBe(2);
    expect(addKeyVersion(path)).toBe(3);
    expect(modeOf(path)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['keyring.json']);

    const reopened = openKeyring(path);
    expect(reopened.versions()).toEqual([1, 2, 3]);
    expect(reopened.currentVersion()).toBe(3);
    expect(tokenize(reopened, spec, 'P1', 1)).toBe(v1Token);
    expect(tokenize(reopened, spec, 'P1')).not.toBe(v1Token);
    // An instance opened earlier keeps the versions it read.
    expect(first.currentVersion()).toBe(1);
  });

  it('addKeyVersion refuses a bad file and leaves it alone', () => {
    openOrCreateKeyring(path);
    chmodSync(path, 0o604);
    const before = readFileSync(path, 'utf8');
    refusal(() => addKeyVersion(path));
    expect(readFileSync(path, 'utf8')).toBe(before);
  });
});
