import { createHash } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { RequestHandler } from 'express';
import type { AuditLog } from '@airlock/audit';
import { canonicalJson, type Logger } from '@airlock/core';
import { principalOf } from './auth/index.ts';
import { createRepository } from './data/repository.ts';
import { newUsage, type RepositoryDeps } from './data/repository-deps.ts';
import type { RequestContext } from './data/request-context.ts';
import { createErrorFormatter } from './format-error.ts';
import type { GatewayConfig } from '@airlock/config';
import type { GatewayMetrics } from './metrics.ts';
import type { PolicySnapshot, PolicyStore } from './policy-store.ts';
import { requestChecksPlugin } from './request-checks.ts';
import { buildSchema } from './schema/build-schema.ts';

export interface GraphqlDeps extends RepositoryDeps {
  config: GatewayConfig;
  policies: PolicyStore;
  audit: AuditLog;
  metrics: GatewayMetrics;
  logger: Logger;
}

/**
 * GraphQL at /graphql. Each distinct set of roles gets its own Apollo Server over a schema that
 * holds only what those roles may use; servers are built on first use and rebuilt when the
 * applied policies change.
 */
export class GraphqlGateway {
  readonly #servers = new Map<string, Promise<{ server: ApolloServer<RequestContext>; handler: RequestHandler }>>();
  #fingerprint = '';

  constructor(private readonly deps: GraphqlDeps) {}

  /** Express handler; runs after `authenticate`, so a principal is always present. */
  readonly handle: RequestHandler = (req, res, next) => {
    const principal = principalOf(res);
    const snapshot = this.deps.policies.current;
    if (snapshot.fingerprint !== this.#fingerprint) this.#reset(snapshot.fingerprint);
    const key = [...new Set(principal.roles)].sort().join(',');
    let entry = this.#servers.get(key);
    if (!entry) {
      entry = this.#create(snapshot, principal.roles);
      this.#servers.set(key, entry);
    }
    entry.then(({ handler }) => handler(req, res, next), next);
  };

  async stop(): Promise<void> {
    const servers = [...this.#servers.values()];
    this.#servers.clear();
    await Promise.allSettled(servers.map(async (entry) => (await entry).server.stop()));
  }

  #reset(fingerprint: string): void {
    const old = [...this.#servers.values()];
    this.#servers.clear();
    this.#fingerprint = fingerprint;
    for (const entry of old) void entry.then(({ server }) => server.stop()).catch(() => undefined);
  }

  async #create(snapshot: PolicySnapshot, roles: readonly string[]) {
    const { config, logger } = this.deps;
    const armor = new ApolloArmor({
      maxDepth: { n: config.armor.maxDepth },
      maxAliases: { n: config.armor.maxAliases },
      // graphql-armor's token limit re-parses in a hook and throws there, which Apollo answers
      // with 500 (for syntax errors too); graphql-js's own limit below is a plain parse error.
      maxTokens: { enabled: false },
      costLimit: { maxCost: config.armor.maxCost },
      maxDirectives: { n: config.armor.maxDirectives },
      blockFieldSuggestion: { enabled: true },
    }).protect();
    const server = new ApolloServer<RequestContext>({
      schema: buildSchema(snapshot, roles, { pageSizeMax: config.pageSizeMax }),
      // graphql-armor types its plugins over the base context; they read no context fields.
      plugins: [...(armor.plugins as ApolloServerPlugin<RequestContext>[]), requestChecksPlugin<RequestContext>(), auditPlugin(this.deps)],
      // Automatic persisted queries off: a hash-only or mismatching request is a 400, and no
      // caller can fill a shared cache.
      persistedQueries: false,
      validationRules: armor.validationRules,
      parseOptions: { maxTokens: config.armor.maxTokens },
      introspection: config.introspection,
      csrfPrevention: true,
      allowBatchedHttpRequests: false,
      includeStacktraceInErrorResponses: false,
      hideSchemaDetailsFromClientErrors: true,
      formatError: createErrorFormatter(logger),
      logger: { debug: () => undefined, info: () => undefined, warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
    });
    await server.start();
    const handler = expressMiddleware(server, {
      context: async ({ res }) => {
        const principal = principalOf(res);
        const usage = newUsage();
        return { principal, snapshot, usage, repository: createRepository(this.deps, principal, snapshot, usage) };
      },
    });
    return { server, handler };
  }
}

/**
 * Exactly one audit event per operation, written before the response leaves. If it cannot be
 * written, the response is replaced by an error: no data goes out unaudited (fail closed).
 */
function auditPlugin(deps: GraphqlDeps): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ request }) {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ contextValue, response, operationName }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const errors = body?.errors ?? [];
          const usage = contextValue.usage;
          const outcome = usage.denied || errors.some((e) => e.extensions?.['code'] === 'FORBIDDEN') ? 'denied' : errors.length ? 'error' : 'allowed';
          const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
          const touched = usage.touched;
          deps.metrics.graphqlDuration.observe({ outcome }, durationMs / 1000);
          if (outcome === 'denied') deps.metrics.denials.inc({ reason: 'forbidden' });
          deps.metrics.suppressedCells.inc(usage.cellsSuppressed);
          try {
            await deps.audit.append({
              type: 'query',
              actor: contextValue.principal.subject,
              roles: contextValue.principal.roles,
              action: operationName ?? request.operationName ?? '(anonymous operation)',
              dataset: touched.length === 1 ? touched[0]!.dataset : null,
              zone: touched.length === 1 ? touched[0]!.zone : null,
              outcome,
              details: {
                documentSha256: sha256(request.query ?? ''),
                variablesSha256: sha256(canonicalJson(request.variables ?? {})),
                touched,
                rows: usage.rows,
                cellsSuppressed: usage.cellsSuppressed,
                durationMs: Math.round(durationMs * 10) / 10,
                errors: errors.map((e) => e.extensions?.['code'] ?? 'ERROR'),
              },
            });
            deps.metrics.auditEvents.inc({ outcome });
          } catch (error) {
            deps.logger.error({ err: error }, 'audit write failed; response withheld');
            response.http.status = 503;
            response.body = {
              kind: 'single',
              singleResult: { errors: [{ message: 'The request could not be audited, so it was refused. Try again later.', extensions: { code: 'SERVICE_UNAVAILABLE' } }] },
            };
          }
        },
      };
    },
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
