import { AirlockError, type RecordZone } from '@airlock/core';
import type { FeatureSpec, Hyperparameters, ImbalanceStrategy, ModelKind, TargetSpec } from '@airlock/ml';
import { MODEL_KINDS } from '@airlock/ml';
import type { ColumnView } from '@airlock/policy';
import { resolveDerivedTarget, type ResolvedDerivedTarget, type TargetRequest } from './derived-target.ts';

/** What a caller asks to train (stored with the job; plain JSON). */
export interface TrainingRequest {
  dataset: string;
  zone: RecordZone;
  /**
   * A column's name, or a target derived from one (`{ derive: { column, op, value } }`, `{ derive:
   * { column, in } }`, `{ derive: { column, buckets } }`, see {@link DerivedTarget}). A classifier
   * on a boolean column is binary; on another column, binary with `positiveClass`, else multiclass.
   */
  target: TargetRequest;
  features: string[];
  kind: ModelKind;
  /** For a string target: the class counted as positive (binary); without it the target is multiclass. */
  positiveClass?: string | undefined;
  imbalance?: ImbalanceStrategy | undefined;
  seed?: number | undefined;
  hyperparameters?: Hyperparameters | undefined;
  /** Registry name (default `<dataset>-<target>-<kind>`). */
  name?: string | undefined;
}

export interface ResolvedSpecs {
  /** The model's features: the requested ones, less a derived target's source column. */
  features: FeatureSpec[];
  target: TargetSpec;
  /** The columns to read from the zone: the features, then the target's column (a derived target's source). */
  columns: string[];
  /** A derived target, which the trainer evaluates on the rows it read (see deriveTargetRows). */
  derived?: ResolvedDerivedTarget | undefined;
  /** Requested features left out because a derived target is computed from them (they would give the answer away). */
  excludedFeatures: string[];
  /** The target as it may appear in a model name: the column, or the derived target's slug. */
  targetSlug: string;
}

const IMBALANCE: readonly ImbalanceStrategy[] = ['none', 'class_weights', 'oversample', 'undersample'];

/**
 * Check a request against the columns of its zone and derive the encoder specs: each feature's
 * kind from its type in the zone (a generalized date is a date), the target's from its type (or
 * from its derivation). Errors name the bad value and list what exists.
 */
export function resolveSpecs(request: TrainingRequest, columns: readonly ColumnView[]): ResolvedSpecs {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const known = columns.map((c) => c.name).join(', ');
  if (!MODEL_KINDS.includes(request.kind)) throw new AirlockError('BAD_REQUEST', `Unknown model kind "${request.kind}"; one of ${MODEL_KINDS.join(', ')}.`);
  if (request.imbalance && !IMBALANCE.includes(request.imbalance)) throw new AirlockError('BAD_REQUEST', `Unknown imbalance "${request.imbalance}"; one of ${IMBALANCE.join(', ')}.`);
  if (!Array.isArray(request.features) || request.features.length === 0) throw new AirlockError('BAD_REQUEST', 'Name at least one feature.');
  const regression = request.kind === 'linear_regression' || request.kind === 'mlp_regression';
  if (typeof request.target !== 'string') {
    const derived = resolveDerivedTarget(request.target, columns, `${request.zone} zone of ${request.dataset}`);
    if (regression) throw new AirlockError('BAD_REQUEST', `A derived target is a class (${derived.kind}); train it with logistic_regression or mlp_classifier, not ${request.kind}.`);
    if (request.positiveClass !== undefined) throw new AirlockError('BAD_REQUEST', 'positiveClass is for a column target; a derived target is true where its condition holds.');
    const source = derived.definition.column;
    // The source column is the answer in other words: never a feature.
    const features = request.features.filter((f) => f !== source);
    if (features.length === 0) throw new AirlockError('BAD_REQUEST', `The only feature, "${source}", is the derived target's source; name other features.`);
    const target: TargetSpec = derived.kind === 'binary' ? { name: derived.name, kind: 'binary', positive: true } : { name: derived.name, kind: 'multiclass' };
    return {
      features: featureSpecs(request, features, byName, known),
      target,
      columns: [...features, source],
      derived,
      excludedFeatures: request.features.filter((f) => f === source),
      targetSlug: derived.slug,
    };
  }
  const features = featureSpecs(request, request.features, byName, known);
  if (!byName.has(request.target)) {
    throw new AirlockError('BAD_REQUEST', `Unknown column(s) "${request.target}" in the ${request.zone} zone of ${request.dataset}; known: ${known}.`);
  }
  if (request.features.includes(request.target)) throw new AirlockError('BAD_REQUEST', `The target "${request.target}" cannot also be a feature.`);
  const done = (target: TargetSpec): ResolvedSpecs => ({ features, target, columns: [...request.features, request.target as string], excludedFeatures: [], targetSlug: request.target as string });
  const target = byName.get(request.target)!;
  if (regression) {
    if (target.type !== 'integer' && target.type !== 'number') throw new AirlockError('BAD_REQUEST', `A ${request.kind} needs a numeric target; "${request.target}" is ${target.type}.`);
    return done({ name: request.target, kind: 'numeric' });
  }
  if (target.type === 'boolean') return done({ name: request.target, kind: 'binary', positive: true });
  // Without a positive class, a text or number target is multiclass (its classes come from the data).
  if (request.positiveClass === undefined) return done({ name: request.target, kind: 'multiclass' });
  return done({ name: request.target, kind: 'binary', positive: request.positiveClass });
}

function featureSpecs(request: TrainingRequest, names: readonly string[], byName: ReadonlyMap<string, ColumnView>, known: string): FeatureSpec[] {
  const unknown = [...names, ...(typeof request.target === 'string' ? [request.target] : [])].filter((name) => !byName.has(name));
  if (unknown.length) {
    throw new AirlockError('BAD_REQUEST', `Unknown column(s) ${unknown.map((u) => `"${u}"`).join(', ')} in the ${request.zone} zone of ${request.dataset}; known: ${known}.`);
  }
  const identifiers = names.filter((f) => byName.get(f)!.class === 'identifier');
  if (identifiers.length) {
    // A token or fake identifier carries no signal and invites memorizing individuals.
    throw new AirlockError('BAD_REQUEST', `Identifier column(s) ${identifiers.join(', ')} cannot be features.`);
  }
  return names.map((name): FeatureSpec => {
    const column = byName.get(name)!;
    if (column.transform.kind === 'generalize' || column.type === 'date' || column.type === 'timestamp') return { name, kind: 'date' };
    if (column.type === 'integer' || column.type === 'number') return { name, kind: 'numeric' };
    if (column.type === 'boolean') return { name, kind: 'boolean' };
    return { name, kind: 'categorical' };
  });
}
