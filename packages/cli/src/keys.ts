import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AirlockConfig } from '@airlock/config';
import { openOrCreateKeyring, type KeyProvider } from '@airlock/deid';

/**
 * The token keyring: `AIRLOCK_KEYRING`, or `<AIRLOCK_DATA_DIR>/keyring.json`, created with mode
 * 0600 on first use. Its keys never leave this process: not to the database, logs or any zone.
 */
export function openKeys(config: AirlockConfig): KeyProvider {
  mkdirSync(path.dirname(config.keyringPath), { recursive: true, mode: 0o700 });
  return openOrCreateKeyring(config.keyringPath);
}
