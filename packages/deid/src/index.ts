/*
 * @airlock/deid — deidentification: keyed tokens, the keyring, vault encryption, surrogates, and
 * the date and quasi-identifier transforms a dataset policy names. Pure code except the file
 * keyring.
 */
export { DerivedKeyring, KEY_BYTES, deriveSubkey } from './key-provider.ts';
export type { KeyProvider, KeyPurpose, MasterKey } from './key-provider.ts';
export { InMemoryKeyring } from './in-memory-keyring.ts';
export { FileKeyring, KEYRING_FORMAT, addKeyVersion, openKeyring, openOrCreateKeyring } from './file-keyring.ts';
export { normalizeValue } from './normalize.ts';
export { parseTokenVersion, tokenize } from './tokens.ts';
export type { TokenSpec } from './tokens.ts';
export { openValue, sealValue } from './vault-crypto.ts';
export { InMemorySurrogateResolver, newSurrogate } from './surrogates.ts';
export type { SurrogateResolver, SurrogateResult } from './surrogates.ts';
export { dateBucketStart, generalizeDate } from './date-generalize.ts';
export { shiftDate } from './date-shift.ts';
export { ageAt } from './age.ts';
export { SAFE_HARBOR_RESTRICTED_ZIP3, truncateZip } from './zip.ts';
export { bucketLabels, bucketNumber, clampNumber, gridCoordinate } from './numbers.ts';
export { TransformError } from './transform-error.ts';
export { createDeidentifier } from './deidentifier.ts';
export type { DeidentifiedRow, Deidentifier, DeidentifierOptions, RowContext, VaultEntry } from './deidentifier.ts';
