import { randomUUID } from 'node:crypto';
import { createAuditLog } from '@airlock/audit';
import { AirlockError, type Zone } from '@airlock/core';
import { allowedColumns, canRead, trainingApproved, trainingLimits, type PolicySet } from '@airlock/policy';
import { checkHyperparameters, loadModel, type FeatureDrift, type Prediction, type Predictor } from '@airlock/ml';
import {
  checkComparable,
  FeedbackRepository,
  membershipRefusal,
  membershipStanding,
  JobsRepository,
  RegistryRepository,
  resolveSpecs,
  type AnalysisResult,
  type ModelComparisonReport,
  type ModelRecord,
  type TrainingJob,
  type TrainingQueue,
  type TrainingRequest,
} from '@airlock/models';
import type { Principal } from '../auth/index.ts';
import type { OperationUsage, RepositoryDeps } from './repository-deps.ts';

/** The training half of the repository: requests, jobs, the registry. */
export interface TrainingAccess {
  requestTraining(request: TrainingRequest): Promise<TrainingJob>;
  trainingJob(id: string): Promise<TrainingJob | undefined>;
  /** Cancel a queued or running job: its requester, or a role that may train on its zone. */
  cancelTrainingJob(id: string): Promise<TrainingJob>;
  models(dataset?: string): Promise<ModelRecord[]>;
  model(ref: string): Promise<ModelRecord | undefined>;
  promoteModel(id: number, alias: string): Promise<ModelRecord>;
  /**
   * PSI per feature between a model's training data and a zone's current data. Computed by a
   * trainer (an analysis job on the queue); this waits for it, at most `analysisTimeoutMs`.
   */
  modelDrift(ref: string, zone?: ModelRecord['zone']): Promise<FeatureDrift[]>;
  /**
   * Two classifiers on the same test set, with McNemar and a paired bootstrap on ROC AUC.
   * Computed by a trainer, like {@link modelDrift}.
   */
  compareModels(a: string, b: string): Promise<ModelComparisonReport>;
  /**
   * Predictions of a model for rows shaped like the records of its zone: the caller must be able
   * to read that zone of the dataset (the same answer for a missing model as for a forbidden one).
   */
  predict(ref: string, rows: readonly Record<string, unknown>[]): Promise<{ model: ModelRecord; predictions: Array<Prediction & { predictionId: string }> }>;
}

/** Most rows one prediction request may send. */
export const MAX_PREDICT_ROWS = 1000;

// Loaded models, by id, for the lifetime of the gateway's dependencies (one per gateway).
const predictorCaches = new WeakMap<RepositoryDeps, Map<number, Promise<Predictor>>>();

function forbidden(): AirlockError {
  // Vague on purpose, like every authorization failure.
  return new AirlockError('FORBIDDEN', 'Not allowed.');
}

function forbiddenOrMissing(): AirlockError {
  // The same answer whether the model exists or not: existence is not disclosed to outsiders.
  return new AirlockError('FORBIDDEN', 'Not allowed, or no such model.');
}

export function createTrainingAccess(
  deps: RepositoryDeps,
  principal: Principal,
  set: PolicySet,
  usage: OperationUsage,
  touch: (dataset: string, zone: string) => void,
): TrainingAccess {
  const roles = principal.roles;
  const jobs = new JobsRepository(deps.database);
  const registry = new RegistryRepository(deps.database);
  const queue = (): TrainingQueue => {
    if (!deps.trainer) throw new AirlockError('DATABASE_UNAVAILABLE', 'The training service is not running in this process.');
    return deps.trainer;
  };
  const analyze = (request: Parameters<TrainingQueue['analyze']>[0]): Promise<AnalysisResult> => queue().analyze(request, deps.config.analysisTimeoutMs);
  // Predictions are served only to roles that may read the zone the model was trained on: an
  // attack on the model (membership inference) then tells them nothing about rows outside what they
  // may read. Serving a model outside its zone would also need its card's membership figure within
  // training.max_membership_auc (membershipStanding), as promotion does.
  const mayRead = (model: ModelRecord) => canRead(set, roles, model.dataset, model.zone as Zone).kind === 'allow';
  const access: TrainingAccess = {
    async requestTraining(request) {
      touch(request.dataset, request.zone);
      const approval = trainingApproved(set, roles, request.dataset, request.zone);
      const audit = createAuditLog(deps.database);
      const base = { type: 'train.request' as const, actor: principal.subject, roles, action: 'trainModel', dataset: request.dataset, zone: request.zone };
      if (approval.kind === 'deny') {
        usage.denied = true;
        await audit.append({ ...base, outcome: 'denied', details: { reason: approval.reason, target: request.target } });
        throw forbidden();
      }
      const columns = allowedColumns(set, roles, request.dataset, request.zone);
      if (columns.kind === 'deny') throw forbidden();
      resolveSpecs(request, columns.columns); // clear errors now rather than a failed job later
      checkHyperparameters(request.hyperparameters ?? {}); // bounded epochs, batch and layer sizes
      const id = randomUUID();
      const enqueue = queue(); // before anything is written: no job row without a queue to carry it
      await jobs.insert({ id, dataset: request.dataset, zone: request.zone, request, requestedBy: principal.subject, roles: [...roles] });
      await audit.append({ ...base, outcome: 'allowed', details: { jobId: id, kind: request.kind, target: request.target, features: request.features } });
      await enqueue.enqueue(id);
      return (await jobs.get(id))!;
    },
    async trainingJob(id) {
      if (!/^[0-9a-f-]{36}$/.test(id)) throw new AirlockError('BAD_REQUEST', 'A training job id is a UUID.');
      const job = await jobs.get(id);
      if (!job) return undefined;
      if (canRead(set, roles, job.dataset, job.zone as Zone).kind === 'deny') throw forbidden();
      touch(job.dataset, job.zone);
      return job;
    },
    async cancelTrainingJob(id) {
      if (!/^[0-9a-f-]{36}$/.test(id)) throw new AirlockError('BAD_REQUEST', 'A training job id is a UUID.');
      const job = await jobs.get(id);
      // The same answer for a job that does not exist as for one the caller may not touch.
      if (!job || (job.requestedBy !== principal.subject && trainingApproved(set, roles, job.dataset, job.zone as Zone).kind === 'deny')) {
        usage.denied = true;
        throw new AirlockError('FORBIDDEN', 'Not allowed, or no such training job.');
      }
      touch(job.dataset, job.zone);
      const outcome = await jobs.cancel(id, principal.subject);
      await createAuditLog(deps.database).append({
        type: 'train.cancel',
        actor: principal.subject,
        roles,
        action: 'cancelTrainingJob',
        dataset: job.dataset,
        zone: job.zone,
        outcome: 'allowed',
        details: { jobId: id, result: outcome },
      });
      return (await jobs.get(id))!;
    },
    async models(dataset) {
      const all = await registry.list(dataset ? { dataset } : {});
      const visible = all.filter(mayRead);
      usage.rows += visible.length;
      return visible;
    },
    async model(ref) {
      const model = await registry.resolve(ref);
      if (!model) return undefined;
      if (!mayRead(model)) throw forbidden();
      touch(model.dataset, model.zone);
      return model;
    },
    async modelDrift(ref, zone) {
      const model = await access.model(ref);
      if (!model) throw new AirlockError('NOT_FOUND', `No model ${ref}.`);
      const source = zone ?? model.zone;
      if (canRead(set, roles, model.dataset, source).kind === 'deny') throw forbidden();
      touch(model.dataset, source);
      const answer = await analyze({ kind: 'drift', modelId: model.id, zone: source, requestedBy: principal.subject, roles: [...roles] });
      if (answer.kind !== 'drift') throw new AirlockError('INTERNAL', 'The trainer answered another analysis.');
      return answer.drift;
    },
    async compareModels(a, b) {
      const [modelA, modelB] = [await access.model(a), await access.model(b)];
      if (!modelA || !modelB) throw new AirlockError('NOT_FOUND', `No model ${modelA ? b : a}.`);
      checkComparable(modelA, modelB); // refused at once, without a job
      const answer = await analyze({ kind: 'compare', modelA: modelA.id, modelB: modelB.id, requestedBy: principal.subject, roles: [...roles] });
      if (answer.kind !== 'compare') throw new AirlockError('INTERNAL', 'The trainer answered another analysis.');
      return answer.comparison;
    },
    async predict(ref, rows) {
      const model = await registry.resolve(ref);
      if (!model || !mayRead(model)) {
        if (model) {
          usage.denied = true;
          touch(model.dataset, model.zone);
        }
        throw forbiddenOrMissing();
      }
      touch(model.dataset, model.zone);
      if (rows.length === 0 || rows.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
        throw new AirlockError('BAD_REQUEST', 'Send JSON { "rows": [ { "<feature>": value, ... } ] } with at least one row object.');
      }
      if (rows.length > MAX_PREDICT_ROWS) throw new AirlockError('BAD_REQUEST', `At most ${MAX_PREDICT_ROWS} rows per request.`);
      let cache = predictorCaches.get(deps);
      if (cache === undefined) predictorCaches.set(deps, (cache = new Map()));
      let predictor = cache.get(model.id);
      if (!predictor) {
        predictor = registry.artifact(model).then((artifact) => loadModel(artifact));
        cache.set(model.id, predictor);
        predictor.catch(() => cache.delete(model.id));
      }
      const { predictions } = (await predictor).predict(rows as Array<Record<string, unknown>>);
      usage.rows += rows.length;
      // Logged with an id under the model's zone, so outcomes can be posted for it later.
      const ids = await new FeedbackRepository(deps.database).record(model, principal.subject, rows, predictions);
      return { model, predictions: predictions.map((prediction, i) => ({ ...prediction, predictionId: ids[i]! })) };
    },
    async promoteModel(id, alias) {
      const model = await registry.resolve(String(id));
      // Promoting is a training decision: the same roles that may train on the model's zone. A
      // missing model gets the same answer as a forbidden one, so ids cannot be probed.
      if (!model || trainingApproved(set, roles, model.dataset, model.zone as Zone).kind === 'deny') {
        usage.denied = true;
        throw forbiddenOrMissing();
      }
      touch(model.dataset, model.zone);
      const audit = createAuditLog(deps.database);
      const event = { type: 'model.promote' as const, actor: principal.subject, roles, action: 'promoteModel', dataset: model.dataset, zone: model.zone };
      // An alias is how a model is put to use; one that leaks membership beyond the policy's limit stays unpromoted.
      const policy = set.datasets.get(model.dataset);
      const standing = membershipStanding(model.card, policy ? trainingLimits(policy.training).maxMembershipAuc : 0.5);
      if (standing.kind !== 'within') {
        usage.denied = true;
        await audit.append({
          ...event,
          outcome: 'denied',
          details: { modelId: id, name: model.name, alias, reason: standing.kind === 'over' ? `membership AUC ${standing.auc} above ${standing.limit}` : 'no membership figure' },
        });
        throw membershipRefusal(model, standing, `promoted to ${model.name}@${alias}`);
      }
      let refusal: string | undefined;
      let promoted: Awaited<ReturnType<RegistryRepository['promote']>>;
      try {
        promoted = await registry.promote(id, alias, (current) => {
          if (current === undefined || current.id === model.id) return;
          // Moving an alias takes the rights one needs over the model that holds it now (vague,
          // like every refusal: the holder may be a model the caller cannot see).
          if (trainingApproved(set, roles, current.dataset, current.zone as Zone).kind === 'deny') {
            refusal = 'no rights over the model that holds the alias';
            throw forbidden();
          }
          // An alias stays in its dataset and zone: predictions that follow it must not silently
          // start using a model trained on other data (say synthetic instead of deidentified).
          if (current.zone !== model.zone || current.dataset !== model.dataset) {
            refusal = `held by a model of ${current.dataset}/${current.zone}`;
            throw new AirlockError(
              'CONFLICT',
              `${model.name}@${alias} is held by model ${current.id} of ${current.dataset}/${current.zone}, and an alias stays in its zone: promote a ${current.zone} model to it, or use another alias.`,
            );
          }
        });
      } catch (error) {
        if (refusal) {
          usage.denied = true;
          await audit.append({ ...event, outcome: 'denied', details: { modelId: id, name: model.name, alias, reason: refusal } });
        }
        throw error;
      }
      await audit.append({
        ...event,
        outcome: 'allowed',
        details: { modelId: id, name: model.name, version: model.version, alias, previousModelId: promoted.previousModelId ?? null },
      });
      return promoted.model;
    },
  };
  return access;
}
