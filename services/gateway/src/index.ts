export { startGateway } from './server.ts';
export type { GatewayOptions, RunningGateway } from './server.ts';
export { healthRouter } from './health.ts';
export type { ReadinessSource } from './health.ts';
export { loadAuthConfig, mintDevToken, parseTtl, createTokenVerifier, authenticate, principalOf } from './auth/index.ts';
export type { AuthConfig, Principal, TokenVerifier } from './auth/index.ts';
export { graphiqlRouter } from './graphiql/index.ts';
