import { AirlockError, createRng, maxOf, minOf } from '@airlock/core';
import {
  classificationReport,
  multiclassReport,
  regressionReport,
  rocAuc,
  stratifiedSplit,
  type ClassificationReport,
  type ClassScores,
  type MulticlassReport,
  type RegressionReport,
} from '@airlock/metrics';
import type * as Tf from '@tensorflow/tfjs';
import { ensureBackend, loadTf, type TfModule } from './backend.ts';
import { buildReference } from './drift.ts';
import { encode, encodeTarget, fitEncoder } from './encoder.ts';
import { MODEL_FORMAT, MODEL_VERSION, type SerializedModel } from './model.ts';
import { architectureFor, forward, initialWeights, serializeWeights, type Architecture, type DenseWeights } from './network.ts';
import type { BackendName, FeatureSpec, Hyperparameters, ImbalanceStrategy, ModelKind, ResolvedHyperparameters, Row, TargetSpec } from './types.ts';
import { MODEL_KINDS } from './types.ts';

/** Largest hyperparameters a job may ask for: bounds on the time and memory one job can take. */
export const HYPERPARAMETER_LIMITS = Object.freeze({ epochs: 1000, batchSize: 65_536, hiddenLayers: 4, unitsPerLayer: 1024 });

/**
 * Check hyperparameters as {@link train} will, before a job is queued.
 *
 * @throws AirlockError BAD_REQUEST naming every value out of range.
 */
export function checkHyperparameters(hyperparameters: Hyperparameters): void {
  resolveHyperparameters(hyperparameters, 0);
}

/** Defaults of {@link Hyperparameters}. */
export const DEFAULT_HYPERPARAMETERS: Omit<ResolvedHyperparameters, 'seed'> = Object.freeze({
  epochs: 30,
  batchSize: 256,
  learningRate: 0.01,
  hiddenUnits: Object.freeze([32, 16]),
  l2: 1e-3,
  patience: 5,
});

/** Default shares of the rows held out for validation (early stopping) and test (the reported metrics). */
export const DEFAULT_SPLITS = Object.freeze({ validation: 0.15, test: 0.15 });

/** Probability at or above which a classifier predicts the positive class. */
export const DEFAULT_THRESHOLD = 0.5;

const IMBALANCE: readonly ImbalanceStrategy[] = ['none', 'class_weights', 'oversample', 'undersample'];
// Training blocks the thread it runs on. The trainer service trains in worker threads; a caller
// that trains on a thread with other work (tests, benchmarks) still gets the event loop back at
// least this often (milliseconds).
const YIELD_EVERY_MS = 50;

/** A training job, everything in memory: the rows were already read through the zone's repository. */
export interface TrainRequest {
  readonly rows: readonly Row[];
  readonly features: readonly FeatureSpec[];
  readonly target: TargetSpec;
  readonly kind: ModelKind;
  /** Classifiers only (default `'none'`). */
  readonly imbalance?: ImbalanceStrategy | undefined;
  readonly hyperparameters?: Hyperparameters | undefined;
  /** Seed of the split, the initialization, the shuffling and any resampling (default: `hyperparameters.seed`, else 0). */
  readonly seed?: number | string | undefined;
  /** Shares of rows for validation and test (default 0.15 each); the rest trains. */
  readonly splits?: { readonly validation?: number | undefined; readonly test?: number | undefined } | undefined;
}

/** One epoch's figures, as passed to `onEpoch` and kept in the history. */
export interface EpochProgress {
  /** 1-based. */
  readonly epoch: number;
  /** Mean training objective over the epoch's batches (cross-entropy, or MSE on the standardized target, plus the L2 penalty). */
  readonly loss: number;
  /** Validation loss, the early-stopping criterion (no L2 term; class-balanced when `imbalance` is not `'none'`). */
  readonly valLoss: number;
  /** Validation ROC AUC for binary classifiers, one-vs-rest macro ROC AUC for multiclass ones, R² for regressors. */
  readonly valMetric: number;
  /** Wall time of the epoch, validation included, in milliseconds. */
  readonly ms: number;
}

/** Options of {@link train}. */
export interface TrainOptions {
  /** Called after every epoch; a throw aborts training. */
  readonly onEpoch?: ((progress: EpochProgress) => void) | undefined;
  /** Checked between batches; aborting rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
}

/** Test-split metrics of a classifier, with what a model without features would score. */
export interface ClassificationMetrics extends ClassificationReport {
  readonly task: 'classification';
  readonly threshold: number;
  /** Share of positives in the training split. */
  readonly baseRate: number;
  /** Test accuracy of always predicting the training split's majority class. */
  readonly baselineAccuracy: number;
  /** Test Brier score of always predicting `baseRate`. */
  readonly baselineBrier: number;
}

/**
 * Test-split metrics of a multiclass classifier (see {@link MulticlassReport}): the prediction is
 * the most probable class; `confusion[actual][predicted]` and `perClass` follow `classes`.
 */
export interface MulticlassMetrics extends Omit<MulticlassReport, 'perClass'> {
  readonly task: 'multiclass';
  /** The class labels as text, in output order (the confusion matrix's rows and columns). */
  readonly classes: string[];
  readonly perClass: Array<ClassScores & { readonly label: string }>;
  /** Values pooled into `__other__` for having too few training rows. */
  readonly pooled: string[];
  /** Test accuracy of always predicting the training split's most frequent class. */
  readonly baselineAccuracy: number;
  /** Test log loss of always predicting the training split's class shares. */
  readonly baselineLogLoss: number;
}

/** Test-split metrics of a regressor, with what predicting the training mean would score. */
export interface RegressionMetrics extends RegressionReport {
  readonly task: 'regression';
  /** Test RMSE of always predicting the training split's mean. */
  readonly baselineRmse: number;
}

/** Metrics on the held-out test split. NaN where undefined (e.g. precision when nothing is predicted positive). */
export type ModelMetrics = ClassificationMetrics | MulticlassMetrics | RegressionMetrics;

/** Row indices of each split, as {@link train} draws them. */
export interface SplitIndices {
  readonly train: number[];
  readonly validation: number[];
  readonly test: number[];
}

/** Everything a training run produces. */
export interface TrainResult {
  readonly model: SerializedModel;
  readonly metrics: ModelMetrics;
  /** `trainFitted` is the training split after over- or undersampling. */
  readonly rowCounts: { readonly train: number; readonly validation: number; readonly test: number; readonly trainFitted: number };
  /** Epochs run (fewer than `hyperparameters.epochs` when early stopping fired). */
  readonly epochs: number;
  /** Epoch whose weights the model holds (the lowest validation loss). */
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly backend: BackendName;
  /** Wall time of the whole call: split, encoding, fitting and evaluation. */
  readonly trainingMs: number;
  readonly history: readonly EpochProgress[];
}

/**
 * The train / validation / test row indices {@link train} uses for a request: stratified by the
 * target's class for classifiers, uniformly random for regressors, seeded. Exposed so that a caller
 * can tell which rows a model was tested on.
 * Throws AirlockError `BAD_REQUEST` for invalid split fractions or a null class label.
 */
export function splitIndices(request: Pick<TrainRequest, 'rows' | 'target' | 'kind' | 'seed' | 'splits' | 'hyperparameters'>): SplitIndices {
  const { validation, test } = resolveSplits(request.splits);
  const classifier = isClassifier(request.kind);
  const name = request.target.name;
  const labels = request.rows.map((row, i) => {
    if (!classifier) return 0; // one stratum: a plain seeded random split
    const value = row[name];
    if (value === null || value === undefined) throw new AirlockError('BAD_REQUEST', `target "${name}" is null in row ${i}; drop unlabelled rows before training`);
    return String(value);
  });
  const [trainPart, validationPart, testPart] = stratifiedSplit(labels, [1 - validation - test, validation, test], `${String(seedOf(request))}/split`);
  return { train: trainPart!, validation: validationPart!, test: testPart! };
}

/**
 * Trains a model: splits the rows (see {@link splitIndices}), fits the encoder on the training split
 * only, trains with Adam and early stopping on the validation loss (keeping the best epoch's
 * weights), and evaluates on the test split with the same plain-JavaScript forward pass that
 * serves predictions, so the metrics describe the stored model exactly.
 *
 * Deterministic for a given seed and backend: the split, the initial weights, the batch order and
 * any resampling come from seeded generators; backends differ in float rounding, so the same seed
 * on another backend gives slightly different weights.
 *
 * Uses the backend chosen by `initBackend` (initializing the default on first use). Memory: the
 * encoded rows are held as float32, rows × columns × 4 bytes. Yields to the event loop every ~50 ms.
 *
 * Throws AirlockError `BAD_REQUEST` for an invalid request (unknown kind, a target kind that does
 * not suit the model kind, bad hyperparameters or splits, too few rows, the encoder's errors) or a
 * diverging fit; rejects with the signal's reason when aborted.
 */
export async function train(request: TrainRequest, options: TrainOptions = {}): Promise<TrainResult> {
  const started = performance.now();
  const job = checkRequest(request);
  const split = splitIndices(request);
  if (split.train.length < 2 || split.validation.length < 1 || split.test.length < 1) {
    throw new AirlockError(
      'BAD_REQUEST',
      `${request.rows.length} rows split into ${split.train.length} train / ${split.validation.length} validation / ${split.test.length} test; every split needs rows, so provide more rows or larger fractions`,
    );
  }
  const rowsOf = (indices: readonly number[]): Row[] => indices.map((i) => request.rows[i]!);
  const trainRows = rowsOf(split.train);
  const validationRows = rowsOf(split.validation);
  const testRows = rowsOf(split.test);

  const encoder = fitEncoder(trainRows, { features: request.features, target: request.target });
  const target = encoder.target;
  // Regressors learn a standardized target so that one learning rate suits any unit.
  const scale = target.kind === 'numeric' ? target : { mean: 0, std: 1 };
  const standardize = (values: Float32Array): Float32Array => values.map((v) => (v - scale.mean) / scale.std);
  const xTrain = encode(encoder, trainRows).matrix;
  const yTrain = standardize(encodeTarget(encoder, trainRows));
  const xValidation = encode(encoder, validationRows).matrix;
  const yValidation = standardize(encodeTarget(encoder, validationRows));
  const xTest = encode(encoder, testRows).matrix;
  const yTest = encodeTarget(encoder, testRows);

  // Classes: 2 for a binary target (labels 0/1), k for a multiclass one (labels 0..k−1).
  const classes = target.kind === 'multiclass' ? target.classes.length : 2;
  const order = fitOrder(yTrain, classes, job.classifier ? job.imbalance : 'none', `${String(job.seed)}/resample`);
  const weightOf = job.classifier && job.imbalance !== 'none' ? balancedWeights(yTrain, classes) : undefined;
  const hidden = isMlp(request.kind) ? job.hyperparameters.hiddenUnits : [];
  const architecture =
    target.kind === 'multiclass' ? architectureFor(encoder.columns.length, hidden, 'softmax', classes) : architectureFor(encoder.columns.length, hidden, job.classifier ? 'sigmoid' : 'linear');

  const backend = (await ensureBackend()).backend;
  const tf = await loadTf();
  const fit = await fitNetwork(
    tf,
    {
      architecture,
      initial: initialWeights(architecture, createRng(`${String(job.seed)}/init`)),
      x: xTrain,
      y: yTrain,
      // Class weights enter the training loss only for 'class_weights'; resampling already balances.
      sampleWeight: job.imbalance === 'class_weights' ? weightOf : undefined,
      order,
      xValidation,
      yValidation,
      validationWeight: weightOf,
      classifier: job.classifier,
      classes: target.kind === 'multiclass' ? classes : 0,
      hyperparameters: job.hyperparameters,
      seed: job.seed,
    },
    options,
  );

  const outputs = forward(architecture, fit.weights, xTest, testRows.length);
  let metrics: ModelMetrics;
  if (target.kind === 'binary') {
    const report = classificationReport(yTest, outputs, DEFAULT_THRESHOLD);
    const baseRate = target.positiveRate;
    let brier = 0;
    for (const y of yTest) brier += (y - baseRate) ** 2;
    const testPositiveShare = report.positives / report.n;
    metrics = {
      task: 'classification',
      ...report,
      threshold: DEFAULT_THRESHOLD,
      baseRate,
      baselineAccuracy: baseRate >= 0.5 ? testPositiveShare : 1 - testPositiveShare,
      baselineBrier: brier / report.n,
    };
  } else if (target.kind === 'multiclass') {
    metrics = multiclassMetrics(target, yTest, outputs);
  } else {
    const predicted = outputs.map((z) => z * target.std + target.mean);
    let squares = 0;
    for (const y of yTest) squares += (y - target.mean) ** 2;
    metrics = { task: 'regression', ...regressionReport(yTest, predicted), baselineRmse: Math.sqrt(squares / yTest.length) };
  }

  const model: SerializedModel = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    kind: request.kind,
    architecture,
    weights: serializeWeights(architecture, fit.weights),
    encoder,
    threshold: DEFAULT_THRESHOLD,
    backend,
    hyperparameters: job.hyperparameters,
    imbalance: job.imbalance,
    reference: buildReference(trainRows, encoder, job.seed),
  };
  return {
    model,
    metrics,
    rowCounts: { train: trainRows.length, validation: validationRows.length, test: testRows.length, trainFitted: order.length },
    epochs: fit.history.length,
    bestEpoch: fit.bestEpoch,
    stoppedEarly: fit.history.length < job.hyperparameters.epochs,
    backend,
    trainingMs: performance.now() - started,
    history: fit.history,
  };
}

interface FitJob {
  readonly architecture: Architecture;
  readonly initial: readonly DenseWeights[];
  /** Row-major training inputs and targets (0/1, or the standardized value). */
  readonly x: Float32Array;
  readonly y: Float32Array;
  /** Per-class loss weight, indexed by label (classifiers), for the training loss. */
  readonly sampleWeight: readonly number[] | undefined;
  /** Training row indices to visit each epoch (after resampling), shuffled per epoch. */
  readonly order: number[];
  readonly xValidation: Float32Array;
  readonly yValidation: Float32Array;
  readonly validationWeight: readonly number[] | undefined;
  readonly classifier: boolean;
  /** Multiclass: the number of classes (softmax outputs, labels are class indices); 0 otherwise. */
  readonly classes: number;
  readonly hyperparameters: ResolvedHyperparameters;
  readonly seed: number | string;
}

interface FitOutcome {
  readonly weights: DenseWeights[];
  readonly history: EpochProgress[];
  readonly bestEpoch: number;
}

/**
 * The training loop, written on tfjs ops rather than tf.layers so that the batch order, the
 * weighting and the early stopping are ours and deterministic.
 */
async function fitNetwork(tf: TfModule, job: FitJob, options: TrainOptions = {}): Promise<FitOutcome> {
  const { architecture, hyperparameters: hp } = job;
  const width = architecture.inputSize;
  const validationRows = job.yValidation.length;
  const params: Array<{ kernel: Tf.Variable; bias: Tf.Variable }> = [];
  const optimizer = tf.train.adam(hp.learningRate);
  const keep: Tf.Tensor[] = [];
  try {
    let fanIn = width;
    for (const [l, layer] of architecture.layers.entries()) {
      const w = job.initial[l]!;
      // tf.variable shares the initial tensor's data; tidy drops the initial tensor, keeps the variable.
      params.push(tf.tidy(() => ({ kernel: tf.variable(tf.tensor2d(w.kernel, [fanIn, layer.units])), bias: tf.variable(tf.tensor1d(w.bias)) })));
      fanIn = layer.units;
    }
    const variables = params.flatMap((p) => [p.kernel, p.bias]);
    const xValidation = tf.tensor2d(job.xValidation, [validationRows, width]);
    const multiclass = job.classes > 0;
    // Multiclass labels enter the loss one-hot; the others as a column of values.
    const labelsOf = (y: Float32Array): Tf.Tensor => (multiclass ? tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(y, 'int32'), job.classes), 'float32')) : tf.tensor1d(y));
    const yValidation = labelsOf(job.yValidation);
    const wValidation = job.validationWeight ? tf.tensor1d(job.yValidation.map((y) => job.validationWeight![y]!)) : undefined;
    keep.push(xValidation, yValidation);
    if (wValidation) keep.push(wValidation);

    // Logits: one per row (a column, flattened), or rows × classes for multiclass.
    const logits = (x: Tf.Tensor2D): Tf.Tensor => {
      let h: Tf.Tensor2D = x;
      params.forEach((p, l) => {
        h = tf.fused.matMul({ a: h, b: p.kernel as Tf.Tensor2D, bias: p.bias, activation: l < params.length - 1 ? 'relu' : 'linear' }) as Tf.Tensor2D;
      });
      return multiclass ? h : tf.reshape(h, [-1]);
    };
    const dataLoss = (z: Tf.Tensor, y: Tf.Tensor, w: Tf.Tensor1D | undefined): Tf.Scalar => {
      let perRow: Tf.Tensor;
      if (multiclass) {
        // Categorical cross-entropy from logits: logΣexp(z) − z·y (y one-hot), overflow-free in logSumExp.
        perRow = tf.sub(tf.logSumExp(z, 1), tf.sum(tf.mul(z, y), 1));
      } else {
        // Cross-entropy from logits in its overflow-free form: max(z, 0) − z·y + log(1 + e^−|z|).
        perRow = job.classifier ? tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z))))) : tf.square(tf.sub(z, y));
      }
      return w ? tf.div(tf.sum(tf.mul(perRow, w)), tf.sum(w)) : tf.mean(perRow);
    };
    const penalty = (): Tf.Scalar => tf.mul(hp.l2, tf.addN(params.map((p) => tf.sum(tf.square(p.kernel))))) as Tf.Scalar;

    const rng = createRng(`${String(job.seed)}/shuffle`);
    const order = [...job.order];
    const history: EpochProgress[] = [];
    let best: { loss: number; epoch: number; weights: DenseWeights[] } | undefined;
    let lastYield = performance.now();

    for (let epoch = 1; epoch <= hp.epochs; epoch++) {
      const epochStart = performance.now();
      rng.shuffle(order);
      let lossSum = 0;
      for (let start = 0; start < order.length; start += hp.batchSize) {
        const n = Math.min(hp.batchSize, order.length - start);
        const xb = new Float32Array(n * width);
        const yb = new Float32Array(n);
        const wb = job.sampleWeight ? new Float32Array(n) : undefined;
        for (let k = 0; k < n; k++) {
          const i = order[start + k]!;
          xb.set(job.x.subarray(i * width, (i + 1) * width), k * width);
          yb[k] = job.y[i]!;
          if (wb) wb[k] = job.sampleWeight![job.y[i]!]!;
        }
        const cost = tf.tidy(() => {
          const x = tf.tensor2d(xb, [n, width]);
          const y = labelsOf(yb);
          const w = wb ? tf.tensor1d(wb) : undefined;
          return optimizer.minimize(() => (hp.l2 > 0 ? tf.add(dataLoss(logits(x), y, w), penalty()) : dataLoss(logits(x), y, w)), true, variables)!;
        });
        lossSum += cost.dataSync()[0]! * n;
        cost.dispose();
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
        options.signal?.throwIfAborted();
      }

      const [lossTensor, outputTensor] = tf.tidy(() => {
        const z = logits(xValidation);
        return [dataLoss(z, yValidation, wValidation), multiclass ? tf.softmax(z) : job.classifier ? tf.sigmoid(z) : z];
      });
      const valLoss = lossTensor!.dataSync()[0]!;
      const outputs = outputTensor!.dataSync() as Float32Array;
      lossTensor!.dispose();
      outputTensor!.dispose();
      const loss = lossSum / order.length;
      if (!Number.isFinite(loss) || !Number.isFinite(valLoss)) {
        throw new AirlockError('BAD_REQUEST', `training diverged in epoch ${epoch} (loss ${loss}, validation loss ${valLoss}); lower learningRate (now ${hp.learningRate})`);
      }
      const valMetric = multiclass
        ? multiclassReport(job.yValidation, outputs, job.classes).rocAucMacro
        : job.classifier
          ? rocAuc(job.yValidation, outputs)
          : rSquared(job.yValidation, outputs);
      const progress: EpochProgress = { epoch, loss, valLoss, valMetric, ms: performance.now() - epochStart };
      history.push(progress);
      options.onEpoch?.(progress);

      if (best === undefined || valLoss < best.loss) {
        // dataSync may hand back the backend's own buffer, so the snapshot copies.
        best = { loss: valLoss, epoch, weights: params.map((p) => ({ kernel: Float32Array.from(p.kernel.dataSync()), bias: Float32Array.from(p.bias.dataSync()) })) };
      } else if (hp.patience > 0 && epoch - best.epoch >= hp.patience) {
        break;
      }
    }
    return { weights: best!.weights, history, bestEpoch: best!.epoch };
  } finally {
    for (const p of params) {
      p.kernel.dispose();
      p.bias.dispose();
    }
    for (const t of keep) t.dispose();
    optimizer.dispose();
  }
}

/** Forward pass on the active backend; exported for the tests, which check the plain one against it. */
export function forwardOnBackend(tf: TfModule, architecture: Architecture, weights: readonly DenseWeights[], matrix: Float32Array, rows: number): Float32Array {
  const result = tf.tidy(() => {
    let h = tf.tensor2d(matrix, [rows, architecture.inputSize]);
    let fanIn = architecture.inputSize;
    architecture.layers.forEach((layer, l) => {
      const w = weights[l]!;
      h = tf.add(tf.matMul(h, tf.tensor2d(w.kernel, [fanIn, layer.units])), tf.tensor1d(w.bias));
      h = layer.activation === 'relu' ? tf.relu(h) : layer.activation === 'sigmoid' ? tf.sigmoid(h) : layer.activation === 'softmax' ? tf.softmax(h) : h;
      fanIn = layer.units;
    });
    return h.reshape([-1]);
  });
  const values = Float32Array.from(result.dataSync());
  result.dispose();
  return values;
}

/**
 * Training row indices for each epoch: all rows, or the rows after over-/undersampling (seeded).
 * `classes` is the number of classes (labels 0..classes−1); 2 for binary.
 */
function fitOrder(labels: Float32Array, classes: number, imbalance: ImbalanceStrategy, seed: string): number[] {
  const all = Array.from(labels.keys());
  if (imbalance === 'none' || imbalance === 'class_weights') return all;
  if (classes > 2) return resampleClasses(all, labels, classes, imbalance, createRng(seed));
  const positives = all.filter((i) => labels[i] === 1);
  const negatives = all.filter((i) => labels[i] !== 1);
  const [minority, majority] = positives.length <= negatives.length ? [positives, negatives] : [negatives, positives];
  const rng = createRng(seed);
  if (imbalance === 'oversample') {
    const extra = Array.from({ length: majority.length - minority.length }, () => minority[rng.int(minority.length)]!);
    return [...all, ...extra];
  }
  return [...minority, ...rng.shuffle([...majority]).slice(0, minority.length)].sort((a, b) => a - b);
}

/**
 * Multiclass resampling: every smaller class drawn with replacement up to the largest class's
 * count (oversample), or every larger class subsampled down to the smallest's (undersample).
 * Classes without training rows stay empty.
 */
function resampleClasses(all: number[], labels: Float32Array, classes: number, imbalance: 'oversample' | 'undersample', rng: ReturnType<typeof createRng>): number[] {
  const members: number[][] = Array.from({ length: classes }, () => []);
  for (const i of all) members[labels[i]!]!.push(i);
  const present = members.filter((m) => m.length > 0);
  if (imbalance === 'oversample') {
    const largest = maxOf(present.map((m) => m.length));
    const out = [...all];
    for (const m of present) for (let k = m.length; k < largest; k++) out.push(m[rng.int(m.length)]!);
    return out;
  }
  const smallest = minOf(present.map((m) => m.length));
  const out: number[] = [];
  for (const m of present) for (const i of m.length > smallest ? rng.shuffle([...m]).slice(0, smallest) : m) out.push(i);
  return out.sort((a, b) => a - b);
}

/**
 * "Balanced" class weights n / (k·n_class), indexed by label (0..k−1; k = 2 for binary). A class
 * without training rows gets weight 0 (it has no rows to weigh).
 */
function balancedWeights(labels: Float32Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const y of labels) counts[y]!++;
  const n = labels.length;
  return counts.map((count) => (count > 0 ? n / (classes * count) : 0));
}

/** Test metrics of a multiclass classifier, with the baselines of predicting the training class mix. */
function multiclassMetrics(target: { classes: readonly unknown[]; pooled: readonly string[]; shares: readonly number[] }, yTest: Float32Array, outputs: Float64Array): MulticlassMetrics {
  const k = target.classes.length;
  const report = multiclassReport(yTest, outputs, k);
  const classes = target.classes.map(String);
  let majority = 0;
  for (let c = 1; c < k; c++) if (target.shares[c]! > target.shares[majority]!) majority = c;
  let baselineLogLoss = 0;
  for (const y of yTest) baselineLogLoss -= Math.log(Math.max(target.shares[y]!, 1e-15));
  return {
    task: 'multiclass',
    ...report,
    classes,
    perClass: report.perClass.map((scores, c) => ({ label: classes[c]!, ...scores })),
    pooled: [...target.pooled],
    baselineAccuracy: report.perClass[majority]!.support / report.n,
    baselineLogLoss: baselineLogLoss / report.n,
  };
}

function rSquared(actual: Float32Array, predicted: Float32Array): number {
  let mean = 0;
  for (const y of actual) mean += y;
  mean /= actual.length;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < actual.length; i++) {
    residual += (actual[i]! - predicted[i]!) ** 2;
    total += (actual[i]! - mean) ** 2;
  }
  return total > 0 ? 1 - residual / total : Number.NaN;
}

function isClassifier(kind: ModelKind): boolean {
  return kind === 'logistic_regression' || kind === 'mlp_classifier';
}

function isMlp(kind: ModelKind): boolean {
  return kind === 'mlp_classifier' || kind === 'mlp_regression';
}

function seedOf(request: Pick<TrainRequest, 'seed' | 'hyperparameters'>): number | string {
  return request.seed ?? request.hyperparameters?.seed ?? 0;
}

function resolveSplits(splits: TrainRequest['splits']): { validation: number; test: number } {
  const validation = splits?.validation ?? DEFAULT_SPLITS.validation;
  const test = splits?.test ?? DEFAULT_SPLITS.test;
  for (const [name, value] of [['validation', validation], ['test', test]] as const) {
    if (!(Number.isFinite(value) && value > 0 && value < 1)) throw new AirlockError('BAD_REQUEST', `splits.${name} must be a share between 0 and 1 (exclusive), got ${value}`);
  }
  if (validation + test >= 1) throw new AirlockError('BAD_REQUEST', `splits.validation + splits.test is ${validation + test}; leave rows to train on (the sum must be below 1)`);
  return { validation, test };
}

function checkRequest(request: TrainRequest): { classifier: boolean; imbalance: ImbalanceStrategy; seed: number | string; hyperparameters: ResolvedHyperparameters } {
  if (!MODEL_KINDS.includes(request.kind)) throw new AirlockError('BAD_REQUEST', `model kind "${String(request.kind)}" is unknown; use one of ${MODEL_KINDS.join(', ')}`);
  const classifier = isClassifier(request.kind);
  const fits = classifier ? request.target?.kind === 'binary' || request.target?.kind === 'multiclass' : request.target?.kind === 'numeric';
  if (!fits) {
    throw new AirlockError('BAD_REQUEST', `${request.kind} needs a ${classifier ? 'binary or multiclass' : 'numeric'} target; "${String(request.target?.name)}" is ${String(request.target?.kind)}`);
  }
  const imbalance = request.imbalance ?? 'none';
  if (!IMBALANCE.includes(imbalance)) throw new AirlockError('BAD_REQUEST', `imbalance "${String(imbalance)}" is unknown; use one of ${IMBALANCE.join(', ')}`);
  if (!classifier && imbalance !== 'none') throw new AirlockError('BAD_REQUEST', `imbalance "${imbalance}" applies to classifiers only; use "none" for ${request.kind}`);
  if (!Array.isArray(request.rows) || request.rows.length === 0) throw new AirlockError('BAD_REQUEST', 'no rows to train on');
  const seed = seedOf(request);
  return { classifier, imbalance, seed, hyperparameters: resolveHyperparameters(request.hyperparameters ?? {}, seed) };
}

function resolveHyperparameters(h: Hyperparameters, seed: number | string): ResolvedHyperparameters {
  const d = DEFAULT_HYPERPARAMETERS;
  const resolved: ResolvedHyperparameters = {
    epochs: h.epochs ?? d.epochs,
    batchSize: h.batchSize ?? d.batchSize,
    learningRate: h.learningRate ?? d.learningRate,
    hiddenUnits: [...(h.hiddenUnits ?? d.hiddenUnits)],
    l2: h.l2 ?? d.l2,
    patience: h.patience ?? d.patience,
    seed,
  };
  const problems: string[] = [];
  const integer = (name: string, value: number, min: number, max: number): void => {
    if (!(Number.isInteger(value) && value >= min && value <= max)) problems.push(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  };
  // Upper bounds too: one job must not occupy a trainer for days or take its memory
  // (epochs: 2000000000 was accepted).
  integer('epochs', resolved.epochs, 1, HYPERPARAMETER_LIMITS.epochs);
  integer('batchSize', resolved.batchSize, 1, HYPERPARAMETER_LIMITS.batchSize);
  integer('patience', resolved.patience, 0, HYPERPARAMETER_LIMITS.epochs);
  if (resolved.hiddenUnits.length > HYPERPARAMETER_LIMITS.hiddenLayers) {
    problems.push(`hiddenUnits has ${resolved.hiddenUnits.length} layers; at most ${HYPERPARAMETER_LIMITS.hiddenLayers}`);
  }
  if (!(Number.isFinite(resolved.learningRate) && resolved.learningRate > 0)) problems.push(`learningRate must be a number > 0, got ${resolved.learningRate}`);
  if (!(Number.isFinite(resolved.l2) && resolved.l2 >= 0)) problems.push(`l2 must be a number ≥ 0, got ${resolved.l2}`);
  resolved.hiddenUnits.forEach((units, i) => integer(`hiddenUnits[${i}]`, units, 1, HYPERPARAMETER_LIMITS.unitsPerLayer));
  if (problems.length > 0) throw new AirlockError('BAD_REQUEST', `invalid hyperparameters: ${problems.join('; ')}`, { details: { problems } });
  return resolved;
}
