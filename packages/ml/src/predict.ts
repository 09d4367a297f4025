import { AirlockError } from '@airlock/core';
import { encode } from './encoder.ts';
import { modelFeatures, parseModel, type SerializedModel } from './model.ts';
import { deserializeWeights, forward } from './network.ts';
import type { FeatureKind, ModelKind, Row, TargetValue } from './types.ts';

/**
 * One row's prediction: `probability` and `label` for binary classifiers, `label` and
 * `probabilities` for multiclass ones, `value` for regressors.
 */
export interface Prediction {
  /** Binary: probability of the positive class. */
  readonly probability?: number;
  /**
   * Binary: the positive class's value when `probability ≥ threshold`, else the other class's (as
   * found in the training data). Multiclass: the most probable class (`__other__` stands for the
   * pooled rare values).
   */
  readonly label?: TargetValue;
  /** Multiclass: each class's probability, keyed by the class as text, in class order (they sum to 1). */
  readonly probabilities?: Readonly<Record<string, number>>;
  /** Predicted target, in the target's own unit. */
  readonly value?: number;
}

/** Options of {@link Predictor.predict}. */
export interface PredictOptions {
  /**
   * Refuse rows holding keys that are not features (default true), so a misspelt feature is
   * reported rather than read as missing. Pass false to score rows that carry extra columns.
   */
  readonly strict?: boolean | undefined;
}

/** A loaded model, ready to score rows in process. */
export interface Predictor {
  readonly kind: ModelKind;
  /** `classification` is binary. */
  readonly task: 'classification' | 'multiclass' | 'regression';
  /** Multiclass: the classes, in output order. */
  readonly classes?: readonly TargetValue[] | undefined;
  /** The features every row must hold, in input order. */
  readonly features: ReadonlyArray<{ readonly name: string; readonly kind: FeatureKind }>;
  /** Probability threshold of the positive label (classifiers). */
  readonly threshold: number;
  /**
   * Scores rows, one prediction per row in order. Throws AirlockError `BAD_REQUEST` naming the
   * row and every unknown or missing feature (and the known ones), or the feature whose value
   * cannot be read as its kind.
   */
  predict(rows: readonly Row[], options?: PredictOptions): { predictions: Prediction[] };
}

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /** Override the stored probability threshold (classifiers), e.g. one tuned on validation data. */
  readonly threshold?: number | undefined;
}

/** Latency of single-row predictions, in milliseconds. */
export interface LatencyReport {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly n: number;
}

/**
 * Loads a serialized model (object or JSON text) for prediction. Predictions run in plain
 * JavaScript on Float32Array weights: a single row costs microseconds, needs no TensorFlow.js
 * backend, and gives the same numbers whichever backend trained the model (to float32 rounding).
 * Async so that a backend-based implementation can replace it without changing callers.
 *
 * Throws AirlockError `BAD_REQUEST` for text that is not a model, another format version, an
 * altered encoder, weights that do not match the architecture, or an invalid threshold.
 */
export async function loadModel(serialized: SerializedModel | string, options: LoadModelOptions = {}): Promise<Predictor> {
  const model = parseModel(serialized);
  const weights = deserializeWeights(model.architecture, model.weights);
  const threshold = options.threshold ?? model.threshold;
  if (!(threshold >= 0 && threshold <= 1)) throw new AirlockError('BAD_REQUEST', `threshold must be within [0, 1], got ${threshold}`);
  const { encoder, architecture } = model;
  const target = encoder.target;
  const classes = target.kind === 'multiclass' ? target.classes : undefined;
  return {
    kind: model.kind,
    task: target.kind === 'binary' ? 'classification' : target.kind === 'multiclass' ? 'multiclass' : 'regression',
    classes,
    features: modelFeatures(model),
    threshold,
    predict(rows, predictOptions = {}) {
      if (!Array.isArray(rows)) throw new AirlockError('BAD_REQUEST', 'predict takes an array of rows');
      const { matrix } = encode(encoder, rows, { strict: predictOptions.strict ?? true });
      const outputs = forward(architecture, weights, matrix, rows.length);
      const predictions: Prediction[] = new Array(rows.length);
      if (classes !== undefined) {
        const k = classes.length;
        const names = classes.map(String);
        for (let i = 0; i < rows.length; i++) {
          let best = 0;
          const probabilities: Record<string, number> = {};
          for (let c = 0; c < k; c++) {
            const p = outputs[i * k + c]!;
            probabilities[names[c]!] = p;
            if (p > outputs[i * k + best]!) best = c;
          }
          predictions[i] = { label: classes[best]!, probabilities };
        }
        return { predictions };
      }
      for (let i = 0; i < rows.length; i++) {
        const out = outputs[i]!;
        if (target.kind === 'binary') predictions[i] = { probability: out, label: out >= threshold ? target.positive : target.negative };
        else if (target.kind === 'numeric') predictions[i] = { value: out * target.std + target.mean };
      }
      return { predictions };
    },
  };
}

/**
 * Times `n` single-row predictions of `row` (after a warm-up of up to 100 calls, so the figures
 * describe a running server rather than the first request) and returns p50, p99 and the mean, in
 * milliseconds. For benchmarks and health checks.
 */
export function predictionLatency(predictor: Predictor, row: Row, n = 1000): LatencyReport {
  if (!(Number.isInteger(n) && n >= 1)) throw new AirlockError('BAD_REQUEST', `n must be an integer ≥ 1, got ${n}`);
  const rows = [row];
  for (let i = 0; i < Math.min(100, n); i++) predictor.predict(rows);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    predictor.predict(rows);
    times[i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  times.sort();
  const at = (q: number): number => times[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!;
  return { p50: at(0.5), p99: at(0.99), mean: times.reduce((a, b) => a + b, 0) / n, n };
}
