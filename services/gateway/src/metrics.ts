import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, in their own registry (served at /metrics). */
export interface GatewayMetrics {
  registry: Registry;
  httpRequests: Counter<'route' | 'status'>;
  graphqlDuration: Histogram<'outcome'>;
  denials: Counter<'reason'>;
  suppressedCells: Counter;
  auditEvents: Counter<'outcome'>;
}

export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'airlock_' });
  return {
    registry,
    httpRequests: new Counter({ name: 'airlock_http_requests_total', help: 'HTTP requests by route and status.', labelNames: ['route', 'status'], registers: [registry] }),
    graphqlDuration: new Histogram({
      name: 'airlock_graphql_operation_seconds',
      help: 'GraphQL operation latency by outcome (allowed, denied, error).',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    denials: new Counter({ name: 'airlock_denials_total', help: 'Refused requests: unauthenticated or forbidden.', labelNames: ['reason'], registers: [registry] }),
    suppressedCells: new Counter({ name: 'airlock_suppressed_cells_total', help: 'Aggregate cells suppressed (noisy count below the threshold).', registers: [registry] }),
    auditEvents: new Counter({ name: 'airlock_audit_events_total', help: 'Audit events written per GraphQL operation.', labelNames: ['outcome'], registers: [registry] }),
  };
}
