import { AirlockError } from '@airlock/core';
import { assertEncoder, type Encoder } from './encoder.ts';
import type { Architecture, SerializedTensor } from './network.ts';
import type { BackendName, FeatureKind, ImbalanceStrategy, ModelKind, ResolvedHyperparameters } from './types.ts';
import { MODEL_KINDS } from './types.ts';

/** Marks a serialized model; bump {@link MODEL_VERSION} whenever its meaning changes. */
export const MODEL_FORMAT = 'airlock.ml.model';
/**
 * Version of the model format written now; versions this build cannot read are refused rather
 * than misread. 2 added multiclass models (a `multiclass` target, a softmax output layer);
 * version 1 models (binary and regression) read unchanged.
 */
export const MODEL_VERSION = 2;
const READABLE_VERSIONS: readonly number[] = [1, MODEL_VERSION];

/** One feature's values in a {@link DriftReference}. */
export type DriftReferenceFeature =
  /** Numbers; dates as fractional years. `null` for missing. */
  | { readonly name: string; readonly kind: 'numeric' | 'date'; readonly values: ReadonlyArray<number | null> }
  /**
   * Categories (booleans as 'true'/'false'). For a model, categories outside `keep` (the encoder's
   * kept categories) are stored, and compared, as `__unknown__`, as the model itself sees them.
   */
  | {
      readonly name: string;
      readonly kind: 'categorical' | 'boolean';
      readonly values: ReadonlyArray<string | null>;
      readonly keep?: readonly string[] | undefined;
    };

/**
 * The training values that drift is measured against: up to 2,000 values per feature drawn from the
 * training split with a seeded generator. Each feature is drawn independently, so the sample keeps
 * each feature's distribution but no training record as a whole; it is still data from the zone the
 * model was trained on, and the model must be stored with that zone's protection. It holds only the
 * features the caller chose, which is why identifiers must never be passed as features.
 */
export interface DriftReference {
  readonly size: number;
  readonly features: readonly DriftReferenceFeature[];
}

/**
 * A trained model as plain JSON: architecture, weights (base64 float32), the fitted encoder, the
 * backend and hyperparameters it was trained with, and its drift reference sample.
 */
export interface SerializedModel {
  readonly format: typeof MODEL_FORMAT;
  readonly version: 1 | typeof MODEL_VERSION;
  readonly kind: ModelKind;
  readonly architecture: Architecture;
  readonly weights: readonly SerializedTensor[];
  readonly encoder: Encoder;
  /** Classifiers: probability at or above which the positive label is predicted. */
  readonly threshold: number;
  readonly backend: BackendName;
  readonly hyperparameters: ResolvedHyperparameters;
  readonly imbalance: ImbalanceStrategy;
  readonly reference: DriftReference;
}

/** The features a model expects, with their kinds, in input order. */
export function modelFeatures(model: SerializedModel): Array<{ name: string; kind: FeatureKind }> {
  return model.encoder.features.map((f) => ({ name: f.name, kind: f.kind }));
}

/** Parses (if text) and checks a stored model, so a foreign or newer file fails with a clear message. */
export function parseModel(value: SerializedModel | string): SerializedModel {
  let model: unknown = value;
  if (typeof value === 'string') {
    try {
      model = JSON.parse(value);
    } catch (error) {
      throw new AirlockError('BAD_REQUEST', 'model is not valid JSON', { cause: error });
    }
  }
  const m = model as Partial<SerializedModel> | null;
  if (m === null || typeof m !== 'object' || m.format !== MODEL_FORMAT) {
    throw new AirlockError('BAD_REQUEST', `not an Airlock model (expected format "${MODEL_FORMAT}")`);
  }
  if (m.version === undefined || !READABLE_VERSIONS.includes(m.version)) {
    throw new AirlockError('BAD_REQUEST', `model version ${String(m.version)} is not supported (this build reads versions ${READABLE_VERSIONS.join(' and ')}); retrain it`);
  }
  if (m.kind === undefined || !MODEL_KINDS.includes(m.kind)) throw new AirlockError('BAD_REQUEST', `model kind "${String(m.kind)}" is unknown`);
  assertEncoder(m.encoder);
  const architecture = m.architecture;
  if (architecture === undefined || architecture.inputSize !== m.encoder.columns.length || !Array.isArray(architecture.layers) || architecture.layers.length === 0) {
    throw new AirlockError('BAD_REQUEST', 'model architecture does not match its encoder');
  }
  const output = architecture.layers.at(-1)!;
  const target = m.encoder.target;
  const expected = target.kind === 'multiclass' ? { units: target.classes.length, activation: 'softmax' } : { units: 1 };
  if (output.units !== expected.units || (target.kind === 'multiclass') !== (output.activation === 'softmax') || (target.kind === 'multiclass' && m.version === 1)) {
    throw new AirlockError('BAD_REQUEST', 'model output layer does not match its target');
  }
  return m as SerializedModel;
}
