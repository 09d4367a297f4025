export { AirlockError, ERROR_CODES, httpStatusOf, isAirlockError } from './errors.ts';
export type { AirlockErrorOptions, ErrorCode } from './errors.ts';
// The logger factory is `@airlock/core/logger`: pino loads only where a logger is made.
export type { Logger } from './logger.ts';
export { canonicalJson, sha256Hex } from './canonical.ts';
export { ZONES, RECORD_ZONES, isZone } from './zones.ts';
export type { Zone, RecordZone, DateGrain, PolicyVersion, PolicyVersions } from './zones.ts';
export { DATE_GRAINS, grainFinerThan } from './zones.ts';
export { createRng } from './random.ts';
export type { Rng } from './random.ts';
export { civilFromDays } from './civil-date.ts';
export { findUnstorableText, storableText, storableValue } from './storable-text.ts';
export { appendAll, maxOf, minOf } from './arrays.ts';
