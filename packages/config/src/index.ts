export { loadConfig, embeddedDatabaseDir, envReader } from './config.ts';
export type { AirlockConfig } from './config.ts';
