import { rocAuc } from './ranking.ts';
import { assertNonEmpty } from './validate.ts';

/** Precision, recall, F1 and support of one class, treated one-vs-rest. */
export interface ClassScores {
  /** tp / (tp + fp); NaN when the class is never predicted. */
  precision: number;
  /** tp / (tp + fn); NaN when the class has no rows. */
  recall: number;
  /** 2tp / (2tp + fp + fn); NaN only when the class is neither present nor predicted. */
  f1: number;
  /** Rows whose label is this class. */
  support: number;
}

/** Precision, recall and F1 averaged over the classes. */
export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
}

/** Everything {@link multiclassReport} computes for one set of scored rows. */
export interface MulticlassReport {
  /** Share of rows whose most probable class is their label. */
  accuracy: number;
  /** One entry per class, in class order. */
  perClass: ClassScores[];
  /**
   * Unweighted mean over the classes that have rows (support > 0); a NaN precision (a class
   * never predicted) counts as 0 in the mean, as scikit-learn's `zero_division=0` does, so that
   * ignoring a class cannot raise the average.
   */
  macro: AveragedScores;
  /** Mean over the classes weighted by support (NaN precision counts as 0, as in `macro`). */
  weighted: AveragedScores;
  /** Mean −ln p(label), probabilities clipped to [1e-15, 1] so one confident miss stays finite. */
  logLoss: number;
  /**
   * Unweighted mean of each class's one-vs-rest ROC AUC, over the classes that have both
   * members and non-members among the rows; NaN if none has.
   */
  rocAucMacro: number;
  /** `confusion[actual][predicted]`: row counts, classes in class order. */
  confusion: number[][];
  /** Number of rows. */
  n: number;
}

/** Smallest probability {@link multiclassReport} takes the log of. */
const LOG_LOSS_EPSILON = 1e-15;

/**
 * k×k confusion matrix: `m[actual][predicted]` counts rows. Labels and predictions are class
 * indices 0..k−1.
 * Throws RangeError on mismatched lengths, empty input, or an index outside 0..k−1 (naming it).
 */
export function multiclassConfusion(labels: ArrayLike<number>, predicted: ArrayLike<number>, k: number): number[][] {
  if (labels.length !== predicted.length) throw new RangeError(`multiclassConfusion: labels has ${labels.length} values but predicted has ${predicted.length}; pass arrays of equal length`);
  assertNonEmpty('multiclassConfusion', 'labels', labels);
  checkClasses('multiclassConfusion', k);
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const a = classIndex('multiclassConfusion', 'labels', labels, i, k);
    const p = classIndex('multiclassConfusion', 'predicted', predicted, i, k);
    m[a]![p]!++;
  }
  return m;
}

/**
 * Per-class and averaged scores of a k-class classifier, from class-index labels (0..k−1) and
 * row-major probabilities (`probabilities[i * k + c]` is row i's probability of class c, each row
 * summing to about 1). The prediction is the most probable class (the lowest index on ties).
 * Throws RangeError on empty input, a label outside 0..k−1, a probabilities array that is not
 * n×k, or a probability outside [0, 1] (naming the index).
 */
export function multiclassReport(labels: ArrayLike<number>, probabilities: ArrayLike<number>, k: number): MulticlassReport {
  const fn = 'multiclassReport';
  assertNonEmpty(fn, 'labels', labels);
  checkClasses(fn, k);
  const n = labels.length;
  if (probabilities.length !== n * k) throw new RangeError(`${fn}: probabilities has ${probabilities.length} values; ${n} rows × ${k} classes need ${n * k}`);
  const predicted = new Uint32Array(n);
  let logLoss = 0;
  for (let i = 0; i < n; i++) {
    const label = classIndex(fn, 'labels', labels, i, k);
    let best = 0;
    for (let c = 0; c < k; c++) {
      const p = probabilities[i * k + c]!;
      if (!(p >= 0 && p <= 1)) throw new RangeError(`${fn}: probabilities[${i * k + c}] is ${String(p)}; probabilities must lie in [0, 1]`);
      if (p > probabilities[i * k + best]!) best = c;
    }
    predicted[i] = best;
    logLoss -= Math.log(Math.max(probabilities[i * k + label]!, LOG_LOSS_EPSILON));
  }
  const confusion = multiclassConfusion(labels, predicted, k);

  let correct = 0;
  const perClass: ClassScores[] = [];
  for (let c = 0; c < k; c++) {
    const tp = confusion[c]![c]!;
    correct += tp;
    let support = 0;
    let predictedAs = 0;
    for (let j = 0; j < k; j++) {
      support += confusion[c]![j]!;
      predictedAs += confusion[j]![c]!;
    }
    const fp = predictedAs - tp;
    const fnCount = support - tp;
    perClass.push({
      precision: predictedAs > 0 ? tp / predictedAs : Number.NaN,
      recall: support > 0 ? tp / support : Number.NaN,
      f1: 2 * tp + fp + fnCount > 0 ? (2 * tp) / (2 * tp + fp + fnCount) : Number.NaN,
      support,
    });
  }

  const present = perClass.filter((s) => s.support > 0);
  const orZero = (v: number): number => (Number.isNaN(v) ? 0 : v);
  const average = (weight: (s: ClassScores) => number): AveragedScores => {
    let total = 0;
    const sum = { precision: 0, recall: 0, f1: 0 };
    for (const s of present) {
      const w = weight(s);
      total += w;
      sum.precision += w * orZero(s.precision);
      sum.recall += w * orZero(s.recall);
      sum.f1 += w * orZero(s.f1);
    }
    return { precision: sum.precision / total, recall: sum.recall / total, f1: sum.f1 / total };
  };

  let aucSum = 0;
  let aucCount = 0;
  const member = new Uint8Array(n);
  const score = new Float64Array(n);
  for (let c = 0; c < k; c++) {
    const support = perClass[c]!.support;
    if (support === 0 || support === n) continue;
    for (let i = 0; i < n; i++) {
      member[i] = labels[i] === c ? 1 : 0;
      score[i] = probabilities[i * k + c]!;
    }
    aucSum += rocAuc(member, score);
    aucCount++;
  }

  return {
    accuracy: correct / n,
    perClass,
    macro: average(() => 1),
    weighted: average((s) => s.support),
    logLoss: logLoss / n,
    rocAucMacro: aucCount > 0 ? aucSum / aucCount : Number.NaN,
    confusion,
    n,
  };
}

function checkClasses(fn: string, k: number): void {
  if (!(Number.isInteger(k) && k >= 2)) throw new RangeError(`${fn}: k is ${k}; a classifier has an integer number of classes ≥ 2`);
}

function classIndex(fn: string, name: string, values: ArrayLike<number>, i: number, k: number): number {
  const v = values[i]!;
  if (!(Number.isInteger(v) && v >= 0 && v < k)) throw new RangeError(`${fn}: ${name}[${i}] is ${String(v)}; class indices run from 0 to ${k - 1}`);
  return v;
}
