import { regressionReport, rocAuc } from '@airlock/metrics';
import type { LoggedPrediction } from './feedback.repository.ts';

/** How a model does on the predictions whose outcomes were posted, next to its test metrics. */
export interface LiveMetrics {
  /** Predictions logged (the newest ones read). */
  predictions: number;
  /** Of those, with an outcome posted. */
  withOutcome: number;
  /** Classifiers: share of predicted labels equal to the outcome. */
  accuracy?: number | undefined;
  /** Binary classifiers, when both classes are among the outcomes: ROC AUC of the probabilities. */
  rocAuc?: number | undefined;
  /** Regressors: errors of the predicted values against the outcomes. */
  mae?: number | undefined;
  rmse?: number | undefined;
}

/**
 * Live metrics from logged predictions and their posted outcomes. A classifier's outcome is
 * compared with the predicted label as text (so `true` and `"true"` agree); `positive` (the
 * binary model's positive class) turns outcomes into 0/1 for ROC AUC. Pure.
 */
export function liveMetrics(logged: readonly LoggedPrediction[], positive?: unknown): LiveMetrics {
  const scored = logged.filter((p) => p.outcome !== null && p.outcome !== undefined);
  const result: LiveMetrics = { predictions: logged.length, withOutcome: scored.length };
  if (scored.length === 0) return result;
  if (scored.every((p) => typeof p.output['value'] === 'number')) {
    const pairs = scored.filter((p) => typeof p.outcome === 'number' || (typeof p.outcome === 'string' && Number.isFinite(Number(p.outcome))));
    if (pairs.length === 0) return result;
    const report = regressionReport(
      pairs.map((p) => Number(p.outcome)),
      pairs.map((p) => p.output['value'] as number),
    );
    return { ...result, mae: report.mae, rmse: report.rmse };
  }
  const text = (value: unknown): string => String(value);
  result.accuracy = scored.filter((p) => text(p.output['label']) === text(p.outcome)).length / scored.length;
  if (positive !== undefined && scored.every((p) => typeof p.output['probability'] === 'number')) {
    const labels = scored.map((p) => (text(p.outcome) === text(positive) ? 1 : 0));
    if (labels.includes(0) && labels.includes(1)) result.rocAuc = rocAuc(labels, scored.map((p) => p.output['probability'] as number));
  }
  return result;
}
