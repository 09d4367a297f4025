import { prAuc, rocAuc } from './ranking.ts';
import { assertBinary, assertLabelled, assertProbabilities } from './validate.ts';

/** Counts of a binary confusion matrix, with 1 as the positive class. */
export interface ConfusionMatrix {
  /** True positives: label 1, predicted 1. */
  tp: number;
  /** False positives: label 0, predicted 1. */
  fp: number;
  /** True negatives: label 0, predicted 0. */
  tn: number;
  /** False negatives: label 1, predicted 0. */
  fn: number;
}

/** Precision, recall and their harmonic mean F1 for the positive class. */
export interface PrecisionRecallF1 {
  /** tp / (tp + fp); NaN when nothing is predicted positive. */
  precision: number;
  /** tp / (tp + fn), the true positive rate; NaN when there are no positive labels. */
  recall: number;
  /** 2tp / (2tp + fp + fn); NaN only when there are neither positive labels nor positive predictions. */
  f1: number;
}

/** Everything {@link classificationReport} computes for one set of scored rows. */
export interface ClassificationReport {
  /** Share of rows classified correctly at the threshold. */
  accuracy: number;
  /** See {@link PrecisionRecallF1.precision}. */
  precision: number;
  /** See {@link PrecisionRecallF1.recall}. */
  recall: number;
  /** See {@link PrecisionRecallF1.f1}. */
  f1: number;
  /** Threshold-free ranking quality, see {@link rocAuc}; NaN if one class only. */
  rocAuc: number;
  /** Average precision, see {@link prAuc}; NaN if no positives. */
  prAuc: number;
  /** Mean squared error of the probabilities, see {@link brierScore}. */
  brier: number;
  /** Confusion matrix at the threshold. */
  confusion: ConfusionMatrix;
  /** Number of rows labelled 1. */
  positives: number;
  /** Number of rows. */
  n: number;
}

/**
 * Confusion matrix of 0/1 predictions against 0/1 labels (1 = positive).
 * Throws RangeError on mismatched lengths, empty input, or any value other than 0 or 1 (naming its index).
 */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>): ConfusionMatrix {
  assertLabelled('confusionMatrix', labels, 'predicted', predicted);
  assertBinary('confusionMatrix', 'predicted', predicted);
  const counts: ConfusionMatrix = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) {
      if (predicted[i] === 1) counts.tp++;
      else counts.fn++;
    } else if (predicted[i] === 1) counts.fp++;
    else counts.tn++;
  }
  return counts;
}

/**
 * Accuracy, (tp + tn) / n: the share of 0/1 predictions equal to their 0/1 labels.
 * Throws RangeError on mismatched lengths, empty input, or any value other than 0 or 1.
 */
export function accuracy(labels: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const { tp, tn, fp, fn } = confusionMatrix(labels, predicted);
  return (tp + tn) / (tp + tn + fp + fn);
}

/**
 * Precision tp/(tp+fp), recall tp/(tp+fn) and F1 = 2·P·R/(P+R) = 2tp/(2tp+fp+fn) for the positive
 * class (label 1), from 0/1 predictions. Undefined ratios are NaN rather than 0 so that "no
 * positive predictions" cannot pass for "perfectly wrong" (scikit-learn's `zero_division` default
 * reports 0 with a warning instead). F1 uses the count form, so it is 0, not NaN, when there are
 * positives but no true positives.
 * Reference: van Rijsbergen, "Information Retrieval" (2nd ed., 1979), ch. 7.
 * Throws RangeError on mismatched lengths, empty input, or any value other than 0 or 1.
 */
export function precisionRecallF1(labels: ArrayLike<number>, predicted: ArrayLike<number>): PrecisionRecallF1 {
  return ratesOf(confusionMatrix(labels, predicted));
}

function ratesOf({ tp, fp, fn }: ConfusionMatrix): PrecisionRecallF1 {
  return {
    precision: tp + fp === 0 ? NaN : tp / (tp + fp),
    recall: tp + fn === 0 ? NaN : tp / (tp + fn),
    f1: tp + fp + fn === 0 ? NaN : (2 * tp) / (2 * tp + fp + fn),
  };
}

/**
 * Brier score, the mean squared difference between predicted probability and 0/1 outcome:
 * (1/n)·Σ (pᵢ − yᵢ)². 0 is perfect; always predicting 0.5 scores 0.25. Lower is better.
 * Reference: G. W. Brier, Monthly Weather Review 78 (1950).
 * Throws RangeError on mismatched lengths, empty input, a label other than 0/1, or a probability
 * outside [0, 1] or NaN (naming its index).
 */
export function brierScore(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  assertLabelled('brierScore', labels, 'probabilities', probabilities);
  assertProbabilities('brierScore', 'probabilities', probabilities);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const error = probabilities[i]! - labels[i]!;
    sum += error * error;
  }
  return sum / labels.length;
}

/**
 * All binary-classification metrics for probabilities against 0/1 labels in one call. Threshold
 * metrics (accuracy, precision, recall, F1, confusion) call a row positive when its probability is
 * ≥ `threshold` (default 0.5); rocAuc, prAuc and brier use the probabilities themselves.
 * Edge cases are those of the individual functions (NaN for undefined ratios and AUCs).
 * Throws RangeError on mismatched lengths, empty input, a label other than 0/1, a probability
 * outside [0, 1] or NaN, or a NaN threshold.
 */
export function classificationReport(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  threshold = 0.5,
): ClassificationReport {
  assertLabelled('classificationReport', labels, 'probabilities', probabilities);
  assertProbabilities('classificationReport', 'probabilities', probabilities);
  if (Number.isNaN(threshold)) throw new RangeError('classificationReport: threshold is NaN; pass a number such as 0.5');
  const predicted = new Uint8Array(labels.length);
  for (let i = 0; i < predicted.length; i++) predicted[i] = probabilities[i]! >= threshold ? 1 : 0;
  const confusion = confusionMatrix(labels, predicted);
  const { precision, recall, f1 } = ratesOf(confusion);
  return {
    accuracy: (confusion.tp + confusion.tn) / labels.length,
    precision,
    recall,
    f1,
    rocAuc: rocAuc(labels, probabilities),
    prAuc: prAuc(labels, probabilities),
    brier: brierScore(labels, probabilities),
    confusion,
    positives: confusion.tp + confusion.fn,
    n: labels.length,
  };
}
