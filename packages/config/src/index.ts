/**
 * `@airlock/config`: the one configuration of Airlock, read from AIRLOCK_* variables once per
 * process and validated as a whole, with a section per service. Each section can also be loaded
 * alone (tests, embedders).
 */
export { loadConfig, embeddedDatabaseDir } from './config.ts';
export type { AirlockConfig, CliConfig, LoadConfigOptions } from './config.ts';
export { envReader } from './env-reader.ts';
export type { Env } from './env-reader.ts';
export { loadGatewayConfig } from './gateway-config.ts';
export type { GatewayConfig } from './gateway-config.ts';
export {
  CLOCK_TOLERANCE_SECONDS,
  DEFAULT_ALGORITHMS,
  DEFAULT_AUDIENCE,
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  DEFAULT_ROLES_CLAIM,
  DEV_ISSUER,
  SIGNATURE_ALGORITHMS,
  loadAuthConfig,
} from './auth-config.ts';
export type { AuthConfig, DevAuthConfig, ServerAuthConfig, SignatureAlgorithm } from './auth-config.ts';
export { loadTrainerConfig, TF_BACKENDS } from './trainer-config.ts';
export type { TrainerConfig } from './trainer-config.ts';
