import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AirlockError } from '@airlock/core';
import { AUDIT_KEY_MIN_BYTES, type AuditKey } from './seal.ts';

/**
 * Read the audit key file (hex, one line), creating a random one (mode 0600, its folder 0700)
 * when it is missing and `create` is true (development). A key readable by other users is
 * refused: with it they could forge audit events.
 *
 * @throws AirlockError CONFIG_INVALID when the file is missing (and not to be created),
 *   malformed, too short, or readable by group or others.
 */
export async function loadAuditKeyFile(file: string, options: { create: boolean }): Promise<AuditKey> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (!options.create) {
      throw new AirlockError(
        'CONFIG_INVALID',
        `The audit key file ${file} does not exist. Create one with \`openssl rand -hex 32 > ${file} && chmod 600 ${file}\` and keep it outside the database.`,
      );
    }
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const key = randomBytes(AUDIT_KEY_MIN_BYTES);
    try {
      await writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
      return key;
    } catch (raced) {
      // Another process created it first: use theirs.
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
      text = await readFile(file, 'utf8');
    }
  }
  const mode = (await stat(file)).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new AirlockError(
      'CONFIG_INVALID',
      `The audit key file ${file} has mode ${mode.toString(8)}; other users could forge audit events with it. Run \`chmod 600 ${file}\`.`,
    );
  }
  const hex = text.trim();
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length % 2 !== 0 || hex.length < AUDIT_KEY_MIN_BYTES * 2) {
    throw new AirlockError(
      'CONFIG_INVALID',
      `The audit key file ${file} must hold at least ${AUDIT_KEY_MIN_BYTES} bytes as hex on one line (e.g. \`openssl rand -hex 32\`).`,
    );
  }
  return Buffer.from(hex, 'hex');
}

