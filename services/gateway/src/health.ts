import type { AirlockDatabase } from '@airlock/db';
import { Router } from 'express';
import { sql } from 'kysely';

export interface ReadinessSource {
  database: AirlockDatabase;
  /** Names of the applied policies the gateway serves. */
  policies(): readonly string[];
  /** Extra facts for /readyz (e.g. the trainer's TensorFlow.js backend). */
  facts?(): Record<string, unknown>;
}

/**
 * `/healthz`: the process answers. `/readyz`: the database answers (as the catalog role, so the
 * migrations and grants are in place) and policies are loaded; 503 otherwise.
 */
export function healthRouter(source: ReadinessSource): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
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
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', ...checks });
  });
  return router;
}
