import { AirlockError } from '@airlock/core';
import { accuracy, precisionRecallF1, rocAuc } from '@airlock/metrics';
import { fitLogistic, predictLogistic } from './logistic.ts';
import type { SynthColumn, SynthRow } from './types.ts';
import { modelledColumns, readColumn } from './values.ts';
import type { ColumnData } from './values.ts';

/** Scores of one classifier on the real holdout (threshold 0.5 for accuracy, precision, recall, F1). */
export interface ClassifierScores {
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly rocAuc: number;
}

/**
 * Train-on-synthetic-test-on-real (TSTR) against train-on-real-test-on-real (TRTR): the same
 * logistic regression is trained once on the synthetic rows and once on the real training rows,
 * and both are scored on the same real holdout. Gaps are real-trained minus synthetic-trained,
 * so a positive gap is utility lost by training on synthetic data.
 */
export interface UtilityReport {
  readonly label: string;
  /** The class scored as positive: `true` for a boolean label, otherwise the least frequent real training class. */
  readonly positiveClass: string;
  readonly classifier: 'logistic-regression-l2-newton';
  readonly rows: { readonly realTrain: number; readonly synthetic: number; readonly holdout: number };
  readonly realTrained: ClassifierScores;
  readonly syntheticTrained: ClassifierScores;
  readonly gaps: { readonly accuracy: number; readonly f1: number; readonly rocAuc: number };
}

/** Real rows split into the part the generator saw and a part it never saw. */
export interface RealSplit {
  readonly train: readonly SynthRow[];
  readonly holdout: readonly SynthRow[];
}

export interface UtilityOptions {
  /** Label column; must be categorical or boolean. */
  readonly label: string;
  /** Positive class, overriding the default (see {@link UtilityReport.positiveClass}). */
  readonly positiveClass?: string | undefined;
}

/**
 * Compute the TSTR report. Features are every column except identifiers and the label; rows with
 * a null label are left out. Throws BAD_REQUEST when the label is missing, not categorical or
 * boolean, or when the real training part or the holdout has fewer than two classes.
 */
export function utilityReport(real: RealSplit, synthetic: readonly SynthRow[], columns: readonly SynthColumn[], options: UtilityOptions): UtilityReport {
  const labelColumn = columns.find((column) => column.name === options.label);
  if (labelColumn === undefined || (labelColumn.kind !== 'categorical' && labelColumn.kind !== 'boolean')) {
    throw new AirlockError('BAD_REQUEST', `Label "${options.label}" must be a categorical or boolean column of the table.`);
  }
  const features = modelledColumns(columns).filter((column) => column.name !== options.label);
  const realTrain = prepare(real.train, features, labelColumn);
  const positiveClass = options.positiveClass ?? defaultPositiveClass(labelColumn, realTrain.labels);
  const holdout = prepare(real.holdout, features, labelColumn);
  const syntheticPart = prepare(synthetic, features, labelColumn);
  const holdoutTargets = targetsOf(holdout.labels, positiveClass);
  if (!hasBothClasses(holdoutTargets)) {
    throw new AirlockError('BAD_REQUEST', `The real holdout needs both "${positiveClass}" and another class in "${options.label}" to score a classifier.`);
  }
  const score = (train: Prepared): ClassifierScores => {
    const targets = targetsOf(train.labels, positiveClass);
    if (!hasBothClasses(targets)) {
      // A training set with a single class predicts that class everywhere: no signal to rank with.
      return scoresOf(holdoutTargets, new Float64Array(holdoutTargets.length).fill(targets[0] === 1 ? 1 : 0));
    }
    const model = fitLogistic(train.features, targets);
    return scoresOf(holdoutTargets, predictLogistic(model, holdout.features));
  };
  const realTrained = score(realTrain);
  const syntheticTrained = score(syntheticPart);
  return {
    label: options.label,
    positiveClass,
    classifier: 'logistic-regression-l2-newton',
    rows: { realTrain: realTrain.labels.length, synthetic: syntheticPart.labels.length, holdout: holdout.labels.length },
    realTrained,
    syntheticTrained,
    gaps: {
      accuracy: realTrained.accuracy - syntheticTrained.accuracy,
      f1: realTrained.f1 - syntheticTrained.f1,
      rocAuc: realTrained.rocAuc - syntheticTrained.rocAuc,
    },
  };
}

interface Prepared {
  readonly features: ColumnData[];
  readonly labels: readonly string[];
}

function prepare(rows: readonly SynthRow[], features: readonly SynthColumn[], label: SynthColumn): Prepared {
  const labelData = readColumn(rows, label);
  const kept: SynthRow[] = [];
  const labels: string[] = [];
  labelData.values.forEach((value, i) => {
    if (value === null) return;
    kept.push(rows[i]!);
    labels.push(String(value));
  });
  return { features: features.map((column) => readColumn(kept, column)), labels };
}

/**
 * `true` for a boolean label; otherwise the least frequent class among the real training labels
 * (ties broken by text order, the later one), e.g. `>50K` on Adult. Minority-as-positive makes
 * precision, recall and F1 about the class that is hard to predict.
 */
function defaultPositiveClass(label: SynthColumn, labels: readonly string[]): string {
  if (label.kind === 'boolean') return 'true';
  const counts = new Map<string, number>();
  for (const value of labels) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | undefined;
  let bestCount = Number.POSITIVE_INFINITY;
  for (const [value, count] of [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (count <= bestCount) {
      best = value;
      bestCount = count;
    }
  }
  if (best === undefined) throw new AirlockError('BAD_REQUEST', `Label "${label.name}" has no values in the real training rows.`);
  return best;
}

function targetsOf(labels: readonly string[], positive: string): Uint8Array {
  return Uint8Array.from(labels, (value) => (value === positive ? 1 : 0));
}

function hasBothClasses(targets: Uint8Array): boolean {
  let positives = 0;
  for (const target of targets) positives += target;
  return positives > 0 && positives < targets.length;
}

function scoresOf(targets: Uint8Array, probabilities: Float64Array): ClassifierScores {
  const predicted = Uint8Array.from(probabilities, (p) => (p >= 0.5 ? 1 : 0));
  const { precision, recall, f1 } = precisionRecallF1(targets, predicted);
  return { accuracy: accuracy(targets, predicted), precision, recall, f1, rocAuc: rocAuc(targets, probabilities) };
}
