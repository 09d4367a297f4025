import { Router, type Request, type Response } from 'express';
import type { AuditLog } from '@airlock/audit';
import { AirlockError, httpStatusOf, isAirlockError, type Logger, type Zone } from '@airlock/core';
import { loadModel, type Predictor } from '@airlock/ml';
import { canRead } from '@airlock/policy';
import type { RegistryRepository } from '@airlock/models';
import { principalOf } from './auth/index.ts';
import type { PolicyStore } from './policy-store.ts';

const MAX_ROWS = 1000;

/**
 * `POST /models/{id | name@alias | name@vN}/predict` with `{ "rows": [ {...}, ... ] }` shaped like
 * the records of the model's zone. The caller's roles must be able to read that zone of the
 * dataset. Each call is audited with counts only, never the rows; the audit write comes before the
 * answer (fail closed). Loaded models are kept in memory by id.
 */
export function predictRouter(deps: { registry: RegistryRepository; policies: PolicyStore; audit: AuditLog; logger: Logger }): Router {
  const router = Router();
  const cache = new Map<number, Promise<Predictor>>();
  router.post('/:ref/predict', async (req: Request, res: Response) => {
    const principal = principalOf(res);
    let outcome: 'allowed' | 'denied' | 'error' = 'error';
    let modelInfo: { id: number; dataset: string; zone: string } | undefined;
    let count = 0;
    try {
      const model = await deps.registry.resolve(String(req.params['ref']));
      if (!model || canRead(deps.policies.current.set, principal.roles, model.dataset, model.zone as Zone).kind === 'deny') {
        // The same answer for "no such model" and "not yours": existence is not disclosed.
        outcome = model ? 'denied' : 'error';
        throw new AirlockError('FORBIDDEN', 'Not allowed, or no such model.');
      }
      modelInfo = { id: model.id, dataset: model.dataset, zone: model.zone };
      const body = req.body as { rows?: unknown } | undefined;
      const rows = body?.rows;
      if (!Array.isArray(rows) || rows.length === 0 || rows.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
        throw new AirlockError('BAD_REQUEST', 'Send JSON { "rows": [ { "<feature>": value, ... } ] } with at least one row object.');
      }
      if (rows.length > MAX_ROWS) throw new AirlockError('BAD_REQUEST', `At most ${MAX_ROWS} rows per request.`);
      count = rows.length;
      let predictor = cache.get(model.id);
      if (!predictor) {
        predictor = deps.registry.artifact(model).then((artifact) => loadModel(artifact));
        cache.set(model.id, predictor);
        predictor.catch(() => cache.delete(model.id));
      }
      const { predictions } = (await predictor).predict(rows as Array<Record<string, unknown>>);
      outcome = 'allowed';
      await audit(deps, principal, modelInfo, outcome, count);
      res.json({ model: { id: model.id, name: model.name, version: model.version }, predictions });
    } catch (error) {
      if (outcome !== 'allowed') await audit(deps, principal, modelInfo, outcome === 'denied' ? 'denied' : 'error', count).catch(() => undefined);
      const status = isAirlockError(error) ? httpStatusOf(error) : 500;
      if (status >= 500) deps.logger.error({ err: error }, 'predict failed');
      const message = isAirlockError(error) ? error.message : 'Internal server error';
      res.status(status).json({ errors: [{ message, extensions: { code: isAirlockError(error) ? error.code : 'INTERNAL_SERVER_ERROR' } }] });
    }
  });
  return router;
}

async function audit(
  deps: { audit: AuditLog },
  principal: { subject: string; roles: string[] },
  model: { id: number; dataset: string; zone: string } | undefined,
  outcome: 'allowed' | 'denied' | 'error',
  rows: number,
): Promise<void> {
  await deps.audit.append({
    type: 'model.predict',
    actor: principal.subject,
    roles: principal.roles,
    action: 'predict',
    dataset: model?.dataset ?? null,
    zone: model?.zone ?? null,
    outcome,
    details: { modelId: model?.id ?? null, rows },
  });
}
