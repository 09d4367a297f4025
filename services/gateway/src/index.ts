export { startGateway } from './server.ts';
export type { GatewayOptions, RunningGateway } from './server.ts';
export { healthRouter } from './health.ts';
export type { ReadinessSource } from './health.ts';
