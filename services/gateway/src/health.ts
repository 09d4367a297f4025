import type { AirlockDatabase } from '@airlock/db';
import { Router, type Request } from 'express';
import { sql } from 'kysely';

export interface ReadinessSource {
  database: AirlockDatabase;
  /** Names of the applied policies the gateway serves. */
  policies(): readonly string[];
  /** Extra facts for /readyz (e.g. the trainer's TensorFlow.js backend). */
  facts?(): Record<string, unknown>;
  /** Whether this caller may see the details of /readyz (the operator token); others get the status only. */
  showDetails(req: Request): boolean;
}

/**
 * `/healthz`: the process answers. `/readyz`: the database answers (as the catalog role, so the
 * migrations and grants are in place) and policies are loaded; 503 otherwise. Only operators
 * see which checks passed, the dataset names and the facts: to anyone else they map the
 * deployment.
 */
export function healthRouter(source: ReadinessSource): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    const checks: Record<string, unknown> = { database: source.database.kind };
    let ready = true;
    try {
      await source.database.withZone('catalog', (trx) => sql`select count(*) from catalog.policy_heads`.execute(trx), {
        statementTimeoutMs: 2000,
      });
      checks['databaseReachable'] = true;
    } catch {
      checks['databaseReachable'] = false;
      ready = false;
    }
    const policies = source.policies();
    checks['policies'] = policies;
    if (policies.length === 0) ready = false;
    Object.assign(checks, source.facts?.() ?? {});
    const status = ready ? 'ready' : 'not ready';
    res.status(ready ? 200 : 503).json(source.showDetails(req) ? { status, ...checks } : { status });
  });
  return router;
}
