import express, { type ErrorRequestHandler } from 'express';
import type { AuditLog } from '@airlock/audit';
import type { Logger } from '@airlock/core';
import type { AirlockDatabase } from '@airlock/db';
import type { KeyProvider } from '@airlock/deid';
import { authenticate, type TokenVerifier } from './auth/index.ts';
import type { GatewayConfig } from '@airlock/config';
import { createDrain, type Drain } from './drain.ts';
import { graphiqlRouter } from './graphiql/index.ts';
import { GraphqlGateway } from './graphql-server.ts';
import { healthRouter } from './health.ts';
import type { GatewayMetrics } from './metrics.ts';
import { presentsOperatorToken } from './operator-token.ts';
import type { PolicyStore } from './policy-store.ts';
import { subjectRateLimit } from './rate-limit.ts';
import { requestLog } from './request-log.ts';
import { exportRouter } from './export.ts';
import { predictRouter } from './predict.ts';
import type { TrainingQueue } from '@airlock/models';

export interface GatewayAppDeps {
  database: AirlockDatabase;
  policies: PolicyStore;
  verifier: TokenVerifier;
  audit: AuditLog;
  metrics: GatewayMetrics;
  config: GatewayConfig;
  logger: Logger;
  keys: () => KeyProvider;
  /** Extra facts for /readyz (e.g. the trainer's backend). */
  facts?: () => Record<string, unknown>;
  /** The job queue to the training service (see `RepositoryDeps.trainer`). */
  trainer?: TrainingQueue | undefined;
}

/**
 * The gateway's HTTP surface: /healthz, /readyz, /metrics, /graphiql (a page; it carries no
 * data), and /graphql behind authentication — a request without a valid token gets 401 before
 * its body is read and before any database query.
 */
export function createGatewayApp(deps: GatewayAppDeps): { app: express.Express; graphql: GraphqlGateway; drain: Drain } {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const drain = createDrain();
  app.use(drain.middleware);
  app.use(requestLog(deps.logger, deps.metrics));
  const operator = (req: express.Request) => presentsOperatorToken(req, deps.config.metricsToken);
  app.use(
    healthRouter({
      database: deps.database,
      policies: () => (deps.policies.loaded ? [...deps.policies.current.versions.keys()] : []),
      ...(deps.facts ? { facts: deps.facts } : {}),
      showDetails: operator,
    }),
  );
  app.get('/metrics', async (req, res) => {
    if (deps.config.metricsToken !== undefined && !operator(req)) {
      res.status(401).set('www-authenticate', 'Bearer').json({ errors: [{ message: 'Send the operator token (AIRLOCK_METRICS_TOKEN) as a bearer token.', extensions: { code: 'UNAUTHENTICATED' } }] });
      return;
    }
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  app.use(graphiqlRouter({ endpoint: '/graphql', title: 'Airlock GraphiQL' }));

  const graphql = new GraphqlGateway(deps);
  const auth = authenticate(deps.verifier, deps.logger);
  const countUnauthenticated: express.RequestHandler = (_req, res, next) => {
    res.on('finish', () => {
      if (res.statusCode === 401) deps.metrics.denials.inc({ reason: 'unauthenticated' });
    });
    next();
  };
  const limited = subjectRateLimit({
    limit: deps.config.rateLimit,
    windowMs: deps.config.rateLimitWindowMs,
    onLimited: () => deps.metrics.denials.inc({ reason: 'rate_limited' }),
  });
  app.use('/graphql', countUnauthenticated, auth, limited, express.json({ limit: deps.config.maxBodyBytes }), graphql.handle);
  app.use(
    '/models',
    countUnauthenticated,
    auth,
    limited,
    // Prediction batches are larger than GraphQL documents: up to 1,000 rows.
    express.json({ limit: deps.config.maxBodyBytes * 20 }),
    predictRouter(deps),
  );
  app.use('/export', countUnauthenticated, auth, limited, exportRouter(deps));
  app.use(bodyErrors);
  return { app, graphql, drain };
}

/** Body-parser failures as JSON: 413 for a body over the limit, 400 for malformed JSON. */
const bodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const status = (error as { status?: number }).status;
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large' || status === 413) {
    res.status(413).json({ errors: [{ message: 'Request body too large.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
    return;
  }
  if (type === 'entity.parse.failed') {
    res.status(400).json({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  next(error);
};
