import { AirlockError, type Zone } from '@airlock/core';
import { featureDrift, type FeatureDrift } from '@airlock/ml';
import { FeedbackRepository, liveMetrics, RegistryRepository, type LiveMetrics, type ModelRecord, type OutcomeReceipt } from '@airlock/models';
import { canRead, type PolicySet } from '@airlock/policy';
import type { Principal } from '../auth/index.ts';
import type { OperationUsage, RepositoryDeps } from './repository-deps.ts';

/** Most outcomes one request may post. */
export const MAX_OUTCOMES = 1000;
/** Fewest recent prediction inputs drift is computed on (PSI on fewer is mostly noise). */
export const MIN_DRIFT_INPUTS = 30;

/** A served model seen through its predictions: live metrics from posted outcomes, drift of recent inputs. */
export interface ModelMonitoring {
  model: ModelRecord;
  live: LiveMetrics;
  /** PSI per feature between the training data and the newest prediction inputs; empty below {@link MIN_DRIFT_INPUTS}. */
  drift: FeatureDrift[];
}

/** Feedback on served models: outcomes for past predictions, and what they say about the model. */
export interface FeedbackAccess {
  /** Post outcomes by prediction id (the ids `predict` returned). Whoever may predict may post. */
  postOutcomes(ref: string, outcomes: readonly unknown[]): Promise<{ model: ModelRecord; receipt: OutcomeReceipt }>;
  modelMonitoring(ref: string, recent: number): Promise<ModelMonitoring>;
}

export function createFeedbackAccess(deps: RepositoryDeps, principal: Principal, set: PolicySet, usage: OperationUsage, touch: (dataset: string, zone: string) => void): FeedbackAccess {
  const registry = new RegistryRepository(deps.database);
  const feedback = new FeedbackRepository(deps.database);
  // The same door as predict: the caller must be able to read the model's zone; a missing model
  // gets the same answer as a forbidden one.
  const readable = async (ref: string): Promise<ModelRecord> => {
    const model = await registry.resolve(ref);
    if (!model || canRead(set, principal.roles, model.dataset, model.zone as Zone).kind !== 'allow') {
      if (model) {
        usage.denied = true;
        touch(model.dataset, model.zone);
      }
      throw new AirlockError('FORBIDDEN', 'Not allowed, or no such model.');
    }
    touch(model.dataset, model.zone);
    return model;
  };
  return {
    async postOutcomes(ref, outcomes) {
      const model = await readable(ref);
      if (outcomes.length === 0 || outcomes.length > MAX_OUTCOMES || !outcomes.every(isOutcome)) {
        throw new AirlockError(
          'BAD_REQUEST',
          `Send JSON { "outcomes": [ { "predictionId": "<id from predict>", "outcome": <the true value> } ] }, 1 to ${MAX_OUTCOMES} of them.`,
        );
      }
      const receipt = await feedback.postOutcomes(model, outcomes, principal.subject);
      usage.rows += receipt.recorded;
      return { model, receipt };
    },
    async modelMonitoring(ref, recent) {
      const model = await readable(ref);
      if (!Number.isInteger(recent) || recent < 1 || recent > 10_000) throw new AirlockError('BAD_REQUEST', '`recent` must be a whole number from 1 to 10000.');
      const [logged, artifact] = await Promise.all([feedback.recent(model, recent), registry.artifact(model)]);
      const target = artifact.encoder.target;
      const live = liveMetrics(logged, target.kind === 'binary' ? target.positive : undefined);
      const drift = logged.length >= MIN_DRIFT_INPUTS ? featureDrift(artifact, logged.map((p) => p.inputs)) : [];
      return { model, live, drift };
    },
  };
}

function isOutcome(value: unknown): value is { predictionId: string; outcome: unknown } {
  if (value === null || typeof value !== 'object') return false;
  const { predictionId, outcome } = value as Record<string, unknown>;
  return (
    typeof predictionId === 'string' &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(predictionId) &&
    (typeof outcome === 'string' || typeof outcome === 'number' || typeof outcome === 'boolean')
  );
}
