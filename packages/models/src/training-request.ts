import { AirlockError, type RecordZone } from '@airlock/core';
import type { FeatureSpec, Hyperparameters, ImbalanceStrategy, ModelKind, TargetSpec } from '@airlock/ml';
import { MODEL_KINDS } from '@airlock/ml';
import type { ColumnView } from '@airlock/policy';

/** What a caller asks to train (stored with the job; plain JSON). */
export interface TrainingRequest {
  dataset: string;
  zone: RecordZone;
  target: string;
  features: string[];
  kind: ModelKind;
  /** For a string target: the class counted as positive. */
  positiveClass?: string | undefined;
  imbalance?: ImbalanceStrategy | undefined;
  seed?: number | undefined;
  hyperparameters?: Hyperparameters | undefined;
  /** Registry name (default `<dataset>-<target>-<kind>`). */
  name?: string | undefined;
}

export interface ResolvedSpecs {
  features: FeatureSpec[];
  target: TargetSpec;
}

const IMBALANCE: readonly ImbalanceStrategy[] = ['none', 'class_weights', 'oversample', 'undersample'];

/**
 * Check a request against the columns of its zone and derive the encoder specs: each feature's
 * kind from its type in the zone (a generalized date is a date), the target's from its type.
 * Errors name the bad value and list what exists.
 */
export function resolveSpecs(request: TrainingRequest, columns: readonly ColumnView[]): ResolvedSpecs {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const known = columns.map((c) => c.name).join(', ');
  if (!MODEL_KINDS.includes(request.kind)) throw new AirlockError('BAD_REQUEST', `Unknown model kind "${request.kind}"; one of ${MODEL_KINDS.join(', ')}.`);
  if (request.imbalance && !IMBALANCE.includes(request.imbalance)) throw new AirlockError('BAD_REQUEST', `Unknown imbalance "${request.imbalance}"; one of ${IMBALANCE.join(', ')}.`);
  if (request.features.length === 0) throw new AirlockError('BAD_REQUEST', 'Name at least one feature.');
  const unknown = [...request.features, request.target].filter((name) => !byName.has(name));
  if (unknown.length) {
    throw new AirlockError('BAD_REQUEST', `Unknown column(s) ${unknown.map((u) => `"${u}"`).join(', ')} in the ${request.zone} zone of ${request.dataset}; known: ${known}.`);
  }
  if (request.features.includes(request.target)) throw new AirlockError('BAD_REQUEST', `The target "${request.target}" cannot also be a feature.`);
  const identifiers = request.features.filter((f) => byName.get(f)!.class === 'identifier');
  if (identifiers.length) {
    // A token or fake identifier carries no signal and invites memorizing individuals.
    throw new AirlockError('BAD_REQUEST', `Identifier column(s) ${identifiers.join(', ')} cannot be features.`);
  }
  const features: FeatureSpec[] = request.features.map((name) => {
    const column = byName.get(name)!;
    if (column.transform.kind === 'generalize' || column.type === 'date' || column.type === 'timestamp') return { name, kind: 'date' };
    if (column.type === 'integer' || column.type === 'number') return { name, kind: 'numeric' };
    if (column.type === 'boolean') return { name, kind: 'boolean' };
    return { name, kind: 'categorical' };
  });
  const target = byName.get(request.target)!;
  const regression = request.kind === 'linear_regression' || request.kind === 'mlp_regression';
  if (regression) {
    if (target.type !== 'integer' && target.type !== 'number') throw new AirlockError('BAD_REQUEST', `A ${request.kind} needs a numeric target; "${request.target}" is ${target.type}.`);
    return { features, target: { name: request.target, kind: 'numeric' } };
  }
  if (target.type === 'boolean') return { features, target: { name: request.target, kind: 'binary', positive: true } };
  if (request.positiveClass === undefined) {
    throw new AirlockError('BAD_REQUEST', `The target "${request.target}" is ${target.type}: say which value is the positive class (positiveClass).`);
  }
  return { features, target: { name: request.target, kind: 'binary', positive: request.positiveClass } };
}
