export { startGateway } from './server.ts';
export type { GatewayOptions, RunningGateway } from './server.ts';
export { createGatewayApp } from './app.ts';
export type { GatewayAppDeps } from './app.ts';
// The gateway's sections of the one configuration (@airlock/config), for embedders and tests.
export { loadGatewayConfig } from '@airlock/config';
export type { GatewayConfig } from '@airlock/config';
export { PolicyStore } from './policy-store.ts';
export { createMetrics } from './metrics.ts';
export { healthRouter } from './health.ts';
export type { ReadinessSource } from './health.ts';
export { loadAuthConfig, mintDevToken, parseTtl, createTokenVerifier, authenticate, principalOf } from './auth/index.ts';
export type { AuthConfig, Principal, TokenVerifier } from './auth/index.ts';
export { graphiqlRouter } from './graphiql/index.ts';
export { boundedCellsSql } from './data/aggregate.repository.ts';
