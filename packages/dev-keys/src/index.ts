/**
 * `@airlock/dev-keys`: the development JWT key pair (embedded and dev mode), kept in the data
 * folder. `airlock token` and tests mint tokens with it; the gateway verifies with its public key.
 */
export { ensureDevKeys, mintDevToken, parseTtl } from './dev-keys.ts';
export type { DevKeys, MintDevTokenOptions } from './dev-keys.ts';
