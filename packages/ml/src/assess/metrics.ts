import { rocAuc } from '@airlock/metrics';
import type { ScoredRows } from './scored.ts';

/** The headline metrics the assessment reports with intervals: classifiers and regressors. */
export const CLASSIFICATION_METRICS = ['rocAuc', 'accuracy', 'f1'] as const;
export const REGRESSION_METRICS = ['rmse', 'mae', 'r2'] as const;
export type HeadlineMetric = (typeof CLASSIFICATION_METRICS)[number] | (typeof REGRESSION_METRICS)[number];

/**
 * The headline metrics of scored rows. NaN where undefined (AUC with one class, F1 with neither
 * positives nor positive predictions, R² of a constant target).
 */
export function headlineMetrics(scored: ScoredRows): Partial<Record<HeadlineMetric, number>> {
  const { actual, predicted } = scored;
  const n = actual.length;
  if (scored.task === 'multiclass') {
    // Accuracy of the calls; ROC AUC and F1 are binary figures (the card has the per-class ones).
    let right = 0;
    for (const c of scored.correct ?? []) right += c;
    return { accuracy: n === 0 ? Number.NaN : right / n };
  }
  if (scored.task === 'classification') {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const call = predicted[i]! >= scored.threshold ? 1 : 0;
      const y = actual[i]!;
      if (call === y) correct++;
      if (call === 1 && y === 1) tp++;
      else if (call === 1) fp++;
      else if (y === 1) fn++;
    }
    return { rocAuc: rocAuc(actual, predicted), accuracy: correct / n, f1: tp + fp + fn === 0 ? Number.NaN : (2 * tp) / (2 * tp + fp + fn) };
  }
  let mean = 0;
  for (const y of actual) mean += y;
  mean /= n;
  let squares = 0;
  let absolute = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const e = actual[i]! - predicted[i]!;
    squares += e * e;
    absolute += Math.abs(e);
    total += (actual[i]! - mean) ** 2;
  }
  return { rmse: Math.sqrt(squares / n), mae: absolute / n, r2: total > 0 ? 1 - squares / total : Number.NaN };
}

/** The metric subgroups are compared on: accuracy (higher is better) or MAE (lower is better). */
export function subgroupMetric(scored: ScoredRows): { name: 'accuracy' | 'mae'; value: number } {
  const m = headlineMetrics(scored);
  return scored.task === 'regression' ? { name: 'mae', value: m.mae! } : { name: 'accuracy', value: m.accuracy! };
}
