import type { SerializedModel } from '../model.ts';
import { loadModel } from '../predict.ts';
import type { Row } from '../types.ts';
import { bootstrapIntervals, type Interval } from './bootstrap.ts';
import { headlineMetrics, type HeadlineMetric } from './metrics.ts';
import { scoreRows, subset } from './scored.ts';

/** A model scored on rows it was not trained on, from another zone (real people, for a synthetic-trained model). */
export interface RowsEvaluation {
  /** Rows scored (rows with no target value are left out). */
  readonly rows: number;
  readonly metrics: Partial<Record<HeadlineMetric, number>>;
  /** 95% percentile bootstrap intervals of the metrics. */
  readonly intervals: Partial<Record<HeadlineMetric, Interval>>;
}

/**
 * Score a stored model on `rows` (holding its features and target) through the path that serves
 * predictions, with the headline metrics and their bootstrap intervals. Rows whose target is
 * missing cannot be scored and are left out. Pure and in memory.
 */
export async function evaluateOnRows(model: SerializedModel, rows: readonly Row[], options: { seed?: number | string | undefined; iterations?: number | undefined } = {}): Promise<RowsEvaluation> {
  const target = model.encoder.target.name;
  const usable = rows.filter((row) => row[target] !== null && row[target] !== undefined);
  if (usable.length === 0) return { rows: 0, metrics: {}, intervals: {} };
  const scored = scoreRows(model, await loadModel(model), usable);
  const intervals = bootstrapIntervals(usable.length, (indices) => headlineMetrics(subset(scored, indices)), { seed: options.seed ?? 0, iterations: options.iterations });
  return { rows: usable.length, metrics: headlineMetrics(scored), intervals };
}
