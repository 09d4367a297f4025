import { Router, type Request, type Response } from 'express';
import { AirlockError } from '@airlock/core';
import { principalOf, type Principal } from './auth/index.ts';
import { createRepository } from './data/repository.ts';
import { newUsage, type OperationUsage } from './data/repository-deps.ts';
import type { GraphqlDeps } from './graphql-server.ts';
import { sendRestError } from './rest-error.ts';

/**
 * `POST /models/{id | name@alias | name@vN}/predict` with `{ "rows": [ {...}, ... ] }` shaped like
 * the records of the model's zone. It goes through the same policy-bound repository as GraphQL
 * and export: the caller's roles must be able to read that zone of the dataset. Each call is
 * audited with counts only, never the rows; the audit write comes before the answer (fail closed).
 * Each prediction carries a `predictionId`; `POST /models/{ref}/outcomes` takes the true outcomes.
 */
export function predictRouter(deps: GraphqlDeps): Router {
  const router = Router();
  router.post('/:ref/predict', async (req: Request, res: Response) => {
    const principal = principalOf(res);
    const usage = newUsage();
    const repository = createRepository(deps, principal, deps.policies.current, usage);
    let count = 0;
    try {
      const rows = (req.body as { rows?: unknown } | undefined)?.rows;
      if (!Array.isArray(rows)) throw new AirlockError('BAD_REQUEST', 'Send JSON { "rows": [ { "<feature>": value, ... } ] } with at least one row object.');
      count = rows.length;
      const { model, predictions } = await repository.predict(String(req.params['ref']), rows as Record<string, unknown>[]);
      await audit(deps, principal, usage, 'allowed', { modelId: model.id, rows: count });
      res.json({ model: { id: model.id, name: model.name, version: model.version }, predictions });
    } catch (error) {
      await audit(deps, principal, usage, usage.denied ? 'denied' : 'error', { modelId: null, rows: count }).catch(() => undefined);
      sendRestError(res, error, deps.logger, 'predict');
    }
  });
  // Outcomes for past predictions, by the ids predict returned: live metrics and drift follow
  // (GraphQL `modelMonitoring`). Audited with counts, like predict.
  router.post('/:ref/outcomes', async (req: Request, res: Response) => {
    const principal = principalOf(res);
    const usage = newUsage();
    const repository = createRepository(deps, principal, deps.policies.current, usage);
    const outcomes = (req.body as { outcomes?: unknown } | undefined)?.outcomes;
    const posted = Array.isArray(outcomes) ? outcomes.length : 0;
    try {
      const { model, receipt } = await repository.postOutcomes(String(req.params['ref']), Array.isArray(outcomes) ? outcomes : []);
      await audit(deps, principal, usage, 'allowed', { modelId: model.id, rows: posted, recorded: receipt.recorded }, 'feedback');
      res.json({ model: { id: model.id, name: model.name, version: model.version }, recorded: receipt.recorded, unknown: receipt.unknown });
    } catch (error) {
      await audit(deps, principal, usage, usage.denied ? 'denied' : 'error', { modelId: null, rows: posted }, 'feedback').catch(() => undefined);
      sendRestError(res, error, deps.logger, 'outcomes');
    }
  });
  return router;
}

function audit(
  deps: GraphqlDeps,
  principal: Principal,
  usage: OperationUsage,
  outcome: 'allowed' | 'denied' | 'error',
  details: { modelId: number | null; rows: number; recorded?: number },
  action: 'predict' | 'feedback' = 'predict',
): Promise<unknown> {
  const touched = usage.touched.at(-1);
  return deps.audit.append({
    type: action === 'predict' ? 'model.predict' : 'model.feedback',
    actor: principal.subject,
    roles: principal.roles,
    action,
    dataset: touched?.dataset ?? null,
    zone: touched?.zone ?? null,
    outcome,
    details,
  });
}
