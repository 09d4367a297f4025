import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { AirlockError, maxOf } from '@airlock/core';
import { DerivedKeyring, KEY_BYTES, type MasterKey } from './key-provider.ts';

/** The `format` field of a keyring file this code reads and writes. */
export const KEYRING_FORMAT = 'airlock-keyring/1';

/** Owner read/write only: the keyring is the one secret that turns tokens back into people. */
const PRIVATE_MODE = 0o600;

// Never recreate a keyring that exists but is broken: a new keyring silently changes every token
// and makes the vault unreadable. Every refusal says so.
const RESTORE = 'restore it from your backup; do not delete it, a new keyring changes every token';

interface KeyringFileEntry {
  version: number;
  created_at: string;
  key: string;
}

interface KeyringFile {
  format: typeof KEYRING_FORMAT;
  keys: KeyringFileEntry[];
}

/**
 * A keyring read from a JSON file:
 * `{ "format": "airlock-keyring/1", "keys": [{ "version": 1, "created_at": "...", "key": "<base64 32 bytes>" }] }`.
 * It holds the versions present when it was opened; reopen it to see a version added since.
 */
export class FileKeyring extends DerivedKeyring {
  readonly path: string;

  /** Use {@link openKeyring} or {@link openOrCreateKeyring}, which check the file first. */
  constructor(path: string, masters: readonly MasterKey[]) {
    super(masters, `keyring file ${path}`);
    this.path = path;
  }
}

/**
 * Opens an existing keyring file. Throws `KEYRING_INVALID` (naming the file and the fix, never a
 * key) when it is missing, readable or writable by group or others, malformed, or holds a key
 * that is not 32 bytes. Use this where a missing keyring is a fault (the gateway, detokenization).
 */
export function openKeyring(path: string): FileKeyring {
  const masters = readKeyringFile(path).keys.map((entry) => ({ version: entry.version, key: Buffer.from(entry.key, 'base64') }));
  return new FileKeyring(path, masters);
}

/**
 * Opens the keyring file at `path`, creating it with one fresh key version and mode 0600 when
 * there is no file; its folder must exist, since the caller decides where secrets live. Creation
 * is atomic: a process racing to create the same file ends up reading the winner's keys. Refuses
 * a bad file as {@link openKeyring} does.
 */
export function openOrCreateKeyring(path: string): FileKeyring {
  if (!exists(path)) {
    const created = serialize({ format: KEYRING_FORMAT, keys: [newEntry(1)] });
    const temp = writePrivateTemp(path, created);
    try {
      // link() fails when the target exists, unlike rename(), so a concurrent creator's keyring is
      // never overwritten: overwriting it would orphan every token made under it.
      linkSync(temp, path);
    } catch (error) {
      if (!isErrno(error, 'EEXIST')) {
        throw new AirlockError('KEYRING_INVALID', `cannot create keyring file ${path}; check its folder is writable (${errnoCode(error)})`, {
          cause: error,
        });
      }
    } finally {
      unlinkSync(temp);
    }
  }
  return openKeyring(path);
}

/**
 * Appends a new random master key version to the keyring file and returns its number (one more
 * than the highest present). The file is replaced atomically (temp file, fsync, rename) and stays
 * 0600. Refuses a bad file as {@link openKeyring} does. Not safe against two concurrent callers
 * (one version would be lost): rotation is a single operator command.
 */
export function addKeyVersion(path: string): number {
  const file = readKeyringFile(path);
  const version = maxOf(file.keys.map((entry) => entry.version)) + 1;
  const temp = writePrivateTemp(path, serialize({ format: KEYRING_FORMAT, keys: [...file.keys, newEntry(version)] }));
  try {
    renameSync(temp, path);
  } catch (error) {
    unlinkSync(temp);
    throw new AirlockError('KEYRING_INVALID', `cannot replace keyring file ${path}; check the folder is writable`, { cause: error });
  }
  return version;
}

function newEntry(version: number): KeyringFileEntry {
  return { version, created_at: new Date().toISOString(), key: randomBytes(KEY_BYTES).toString('base64') };
}

function serialize(file: KeyringFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Writes `content` to a fresh temp file beside `path` with mode 0600, flushed to disk. */
function writePrivateTemp(path: string, content: string): string {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  let fd: number;
  try {
    fd = openSync(temp, 'wx', PRIVATE_MODE);
  } catch (error) {
    throw new AirlockError(
      'KEYRING_INVALID',
      `cannot write keyring file ${path}; check its folder exists and is writable (${errnoCode(error)})`,
      { cause: error },
    );
  }
  try {
    // The mode given to open() is masked by the umask; set it exactly.
    fchmodSync(fd, PRIVATE_MODE);
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return temp;
}

function readKeyringFile(path: string): KeyringFile {
  const invalid = (problem: string, fix: string): AirlockError =>
    new AirlockError('KEYRING_INVALID', `keyring file ${path} ${problem}; ${fix}`);

  // One descriptor for the mode check and the read, so the file checked is the file read.
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new AirlockError('KEYRING_INVALID', `keyring file ${path} cannot be read; check the path (${errnoCode(error)})`, {
      cause: error,
    });
  }
  let text: string;
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw invalid('is not a regular file', 'point the keyring path at the keyring JSON file');
    // Windows has no POSIX mode bits (stat reports 0o666 for every writable file), so the check
    // would refuse every keyring there; the file's ACL is the protection on that platform.
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw invalid(
        `is readable or writable by group or others (mode ${mode})`,
        `run: chmod 600 ${path} (and if others may have read it, add a key version and re-tokenize)`,
      );
    }
    text = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message (and so the cause) quotes the file's text, which holds keys: drop both.
    throw invalid('is not valid JSON', RESTORE);
  }
  if (!isRecord(parsed) || parsed.format !== KEYRING_FORMAT) {
    throw invalid(`does not declare "format": "${KEYRING_FORMAT}"`, RESTORE);
  }
  if (!Array.isArray(parsed.keys) || parsed.keys.length === 0) {
    throw invalid('has no "keys" list, or an empty one', RESTORE);
  }
  const seen = new Set<number>();
  const keys = parsed.keys.map((entry: unknown, index: number): KeyringFileEntry => {
    if (!isRecord(entry)) throw invalid(`has a key entry #${index + 1} that is not an object`, RESTORE);
    const { version, created_at: createdAt, key } = entry;
    if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
      throw invalid(`has a key entry #${index + 1} whose "version" is not a positive integer`, RESTORE);
    }
    if (seen.has(version)) throw invalid(`holds key version ${version} twice`, RESTORE);
    seen.add(version);
    if (typeof createdAt !== 'string') throw invalid(`key version ${version} has no "created_at" string`, RESTORE);
    if (typeof key !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(key) || Buffer.from(key, 'base64').length !== KEY_BYTES) {
      throw invalid(`key version ${version} is not base64 of ${KEY_BYTES} bytes (256 bits)`, RESTORE);
    }
    return { version, created_at: createdAt, key };
  });
  return { format: KEYRING_FORMAT, keys };
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return false;
    throw new AirlockError('KEYRING_INVALID', `keyring file ${path} cannot be read; check the path (${errnoCode(error)})`, {
      cause: error,
    });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isErrno(error: unknown, code: string): boolean {
  return errnoCode(error) === code;
}

function errnoCode(error: unknown): string {
  return isRecord(error) && typeof error.code === 'string' ? error.code : 'unknown error';
}
