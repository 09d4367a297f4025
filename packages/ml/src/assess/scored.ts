import { encodeTarget } from '../encoder.ts';
import type { SerializedModel } from '../model.ts';
import type { Predictor } from '../predict.ts';
import type { Row } from '../types.ts';

/**
 * Rows scored by a model: what the assessment works from. Everything downstream (intervals,
 * membership inference, subgroups, importance) reads these arrays, never the network, so a
 * k-class model slots in by filling `loss` (its cross-entropy) and its own metric function.
 */
export interface ScoredRows {
  readonly task: 'classification' | 'multiclass' | 'regression';
  /** Labels (0/1) for binary classifiers, class indices for multiclass ones, target values for regressors. */
  readonly actual: Float64Array;
  /** Probability of the positive class (multiclass: of the true class), or the predicted value (target units). */
  readonly predicted: Float64Array;
  /** Per-row loss: cross-entropy (nats, probability clipped to [1e-7, 1 − 1e-7]) or squared error. */
  readonly loss: Float64Array;
  /** Multiclass: 1 where the predicted class is the true one. */
  readonly correct?: Float64Array | undefined;
  /** Probability at or above which a classifier predicts the positive class. */
  readonly threshold: number;
}

const EPSILON = 1e-7;

/**
 * Scores `rows` (which must hold the target) with the served prediction path (`predict` with extra
 * columns allowed), so every figure describes the stored model exactly.
 */
export function scoreRows(model: SerializedModel, predictor: Predictor, rows: readonly Row[]): ScoredRows {
  const actual = Float64Array.from(encodeTarget(model.encoder, rows));
  const { predictions } = predictor.predict(rows, { strict: false });
  if (predictor.task === 'multiclass') return scoreClasses(predictor, actual, predictions);
  const classifier = predictor.task === 'classification';
  const predicted = Float64Array.from(predictions, (p) => (classifier ? p.probability! : p.value!));
  const loss = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const y = actual[i]!;
    const p = predicted[i]!;
    if (classifier) {
      const q = Math.min(1 - EPSILON, Math.max(EPSILON, p));
      loss[i] = -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
    } else {
      loss[i] = (y - p) ** 2;
    }
  }
  return { task: classifier ? 'classification' : 'regression', actual, predicted, loss, threshold: predictor.threshold };
}

/** The rows at `indices` of `scored` (a bootstrap resample or a subgroup). */
export function subset(scored: ScoredRows, indices: ArrayLike<number>): ScoredRows {
  const pick = (values: Float64Array): Float64Array => Float64Array.from({ length: indices.length }, (_, k) => values[indices[k]!]!);
  return { ...scored, actual: pick(scored.actual), predicted: pick(scored.predicted), loss: pick(scored.loss), correct: scored.correct && pick(scored.correct) };
}

/** A multiclass model's rows: the true class's probability, its cross-entropy, and whether the call was right. */
function scoreClasses(predictor: Predictor, actual: Float64Array, predictions: ReturnType<Predictor['predict']>['predictions']): ScoredRows {
  const classes = (predictor.classes ?? []).map(String);
  const predicted = new Float64Array(actual.length);
  const loss = new Float64Array(actual.length);
  const correct = new Float64Array(actual.length);
  for (let i = 0; i < actual.length; i++) {
    const truth = classes[actual[i]!]!;
    const p = predictions[i]!.probabilities?.[truth] ?? 0;
    predicted[i] = p;
    loss[i] = -Math.log(Math.min(1 - EPSILON, Math.max(EPSILON, p)));
    correct[i] = String(predictions[i]!.label) === truth ? 1 : 0;
  }
  return { task: 'multiclass', actual, predicted, loss, correct, threshold: predictor.threshold };
}
