import { AirlockError } from '@airlock/core';
import { envReader, type Env } from './env-reader.ts';
import { withSecretFiles } from './secret-files.ts';

/**
 * Limits and switches of the GraphQL gateway, from AIRLOCK_* variables (validated together,
 * frozen): the `gateway` section of the configuration. Authentication is the `auth` section
 * (auth-config.ts).
 */
export interface GatewayConfig {
  /** `AIRLOCK_INTROSPECTION` (default `on`): `on` = for authenticated callers (all callers are), `off` = never. */
  readonly introspection: boolean;
  /** `AIRLOCK_MAX_BODY_BYTES` (default 102400): larger request bodies get HTTP 413. */
  readonly maxBodyBytes: number;
  /** `AIRLOCK_STATEMENT_TIMEOUT_MS` (default 10000): `statement_timeout` of every request's transaction. */
  readonly statementTimeoutMs: number;
  /** `AIRLOCK_PAGE_SIZE_MAX` (default 500): largest `first` for record pages. */
  readonly pageSizeMax: number;
  /** `AIRLOCK_MAX_AGGREGATE_CELLS` (default 2000): largest aggregate response, in cells. */
  readonly maxAggregateCells: number;
  /** `AIRLOCK_MAX_DEPTH` (default 8), `AIRLOCK_MAX_ALIASES` (15), `AIRLOCK_MAX_TOKENS` (2000), `AIRLOCK_MAX_COST` (5000), `AIRLOCK_MAX_DIRECTIVES` (10). */
  readonly armor: { maxDepth: number; maxAliases: number; maxTokens: number; maxCost: number; maxDirectives: number };
  /** `AIRLOCK_POLICY_REFRESH_MS` (default 10000): how often applied policies are re-read; 0 = never. */
  readonly policyRefreshMs: number;
  /**
   * `AIRLOCK_METRICS_TOKEN` (default unset): when set, `/metrics` requires
   * `Authorization: Bearer <token>` (401 otherwise), and only callers presenting it see the
   * details of `/readyz`. At least 16 characters. Or `AIRLOCK_METRICS_TOKEN_FILE`: a file holding it.
   */
  readonly metricsToken: string | undefined;
  /**
   * `AIRLOCK_SHUTDOWN_TIMEOUT_MS` (default 10000): on SIGTERM, how long requests in flight may
   * take to finish before their connections are closed. The process exits at most 5 s later.
   */
  readonly shutdownTimeoutMs: number;
  /**
   * `AIRLOCK_RATE_LIMIT` (default 600; 0 = off): requests one JWT subject may make to /graphql and
   * /models per window, in this process; more get 429 with Retry-After.
   */
  readonly rateLimit: number;
  /** `AIRLOCK_RATE_LIMIT_WINDOW_MS` (default 60000): the rate limit's window. */
  readonly rateLimitWindowMs: number;
  /**
   * `AIRLOCK_ANALYSIS_TIMEOUT_MS` (default 120000): how long `modelDrift` and `compareModels` wait
   * for a trainer to answer (they run as analysis jobs, never in the gateway); past it they fail
   * with DATABASE_UNAVAILABLE.
   */
  readonly analysisTimeoutMs: number;
}

/** The gateway section alone (tests and embedders build their own); throws CONFIG_INVALID naming every problem. */
export function loadGatewayConfig(env: Env): GatewayConfig {
  const problems: string[] = [];
  const config = readGatewayConfig(withSecretFiles(env, problems), problems);
  if (problems.length) {
    throw new AirlockError('CONFIG_INVALID', `Invalid gateway configuration:\n  - ${problems.join('\n  - ')}`, { details: { problems } });
  }
  return config;
}

/** {@link loadGatewayConfig}'s reading, adding each problem to `problems` instead of throwing. */
export function readGatewayConfig(env: Env, problems: string[]): GatewayConfig {
  const { integer: int } = envReader(env, problems);
  const introspection = env['AIRLOCK_INTROSPECTION'] || 'on';
  if (introspection !== 'on' && introspection !== 'off') problems.push(`AIRLOCK_INTROSPECTION="${introspection}" must be "on" or "off".`);
  const config: GatewayConfig = {
    introspection: introspection !== 'off',
    maxBodyBytes: int('AIRLOCK_MAX_BODY_BYTES', 102_400, 1024, 50 * 1024 * 1024),
    statementTimeoutMs: int('AIRLOCK_STATEMENT_TIMEOUT_MS', 10_000, 100, 600_000),
    pageSizeMax: int('AIRLOCK_PAGE_SIZE_MAX', 500, 1, 100_000),
    maxAggregateCells: int('AIRLOCK_MAX_AGGREGATE_CELLS', 2000, 10, 100_000),
    armor: {
      maxDepth: int('AIRLOCK_MAX_DEPTH', 8, 2, 100),
      maxAliases: int('AIRLOCK_MAX_ALIASES', 15, 0, 1000),
      maxTokens: int('AIRLOCK_MAX_TOKENS', 2000, 50, 100_000),
      // A records page costs about rows × fields × 5 (graphql-armor's depth factor): the default
      // lets a full page (AIRLOCK_PAGE_SIZE_MAX 500) of a 40-column dataset through.
      maxCost: int('AIRLOCK_MAX_COST', 100_000, 10, 10_000_000),
      maxDirectives: int('AIRLOCK_MAX_DIRECTIVES', 10, 0, 1000),
    },
    policyRefreshMs: int('AIRLOCK_POLICY_REFRESH_MS', 10_000, 0, 86_400_000),
    metricsToken: env['AIRLOCK_METRICS_TOKEN'] || undefined,
    shutdownTimeoutMs: int('AIRLOCK_SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    rateLimit: int('AIRLOCK_RATE_LIMIT', 600, 0, 1_000_000),
    rateLimitWindowMs: int('AIRLOCK_RATE_LIMIT_WINDOW_MS', 60_000, 1000, 86_400_000),
    analysisTimeoutMs: int('AIRLOCK_ANALYSIS_TIMEOUT_MS', 120_000, 1000, 3_600_000),
  };
  if (config.metricsToken !== undefined && config.metricsToken.length < 16) {
    problems.push('AIRLOCK_METRICS_TOKEN must be at least 16 characters (e.g. `openssl rand -hex 16`).');
  }
  return Object.freeze({ ...config, armor: Object.freeze(config.armor) });
}
