/**
 * @airlock/metrics: model evaluation, drift and significance statistics, as pure functions with no
 * I/O and no dependencies beyond @airlock/core's seeded generator.
 *
 * Conventions shared by every function:
 * - Binary labels and predictions are the numbers 0 and 1, with 1 the positive class.
 * - Inputs of different lengths throw a RangeError naming both lengths; NaN in an input, a label
 *   other than 0/1, or a probability outside [0, 1] throws a RangeError naming the index; empty
 *   inputs throw (except {@link stratifiedSplit}, which returns empty parts).
 * - A metric that is mathematically undefined for the data (AUC with one class present, precision
 *   with no positive predictions, R² of a constant target, …) is NaN, never a made-up 0 or 0.5.
 * - Anything random takes a seed and is deterministic.
 */
export { accuracy, brierScore, classificationReport, confusionMatrix, precisionRecallF1 } from './classification.ts';
export type { ClassificationReport, ConfusionMatrix, PrecisionRecallF1 } from './classification.ts';
export { prAuc, rocAuc } from './ranking.ts';
export { pearson, regressionReport } from './regression.ts';
export type { RegressionReport } from './regression.ts';
export { NULL_CATEGORY, categoricalPsi, ksStatistic, populationStabilityIndex, psiLevel } from './drift.ts';
export type { CategoricalPsiBin, CategoricalPsiOptions, PsiBin, PsiOptions, PsiResult } from './drift.ts';
export { mcnemarTest, pairedBootstrapAuc, welchTTest } from './significance.ts';
export type { McNemarResult, PairedBootstrapOptions, PairedBootstrapResult, WelchTTestResult } from './significance.ts';
export { chiSquareCdf, normalCdf, studentTCdf } from './distributions.ts';
export { multiclassConfusion, multiclassReport } from './multiclass.ts';
export type { AveragedScores, ClassScores, MulticlassReport } from './multiclass.ts';
export { stratifiedSplit } from './split.ts';
