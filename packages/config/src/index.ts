export { loadConfig, embeddedDatabaseDir } from './config.ts';
export type { AirlockConfig } from './config.ts';
