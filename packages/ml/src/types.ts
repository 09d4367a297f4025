/**
 * Public shapes of `@airlock/ml`. Everything here is plain data (JSON-serializable, or typed arrays
 * where noted) so that no TensorFlow.js type crosses the package boundary.
 */

/** One input row: column name to raw value, as a database driver or a JSON body delivers it. */
export type Row = Readonly<Record<string, unknown>>;

/** How a feature's raw values are read and encoded. */
export type FeatureKind = 'numeric' | 'categorical' | 'boolean' | 'date';

/**
 * A model input. The caller chooses features; identifier columns (names, record numbers, emails...)
 * must never be passed: they carry no signal that generalizes, and the serialized model keeps a
 * sample of every feature's training values for drift monitoring (see {@link DriftReference}).
 */
export interface FeatureSpec {
  readonly name: string;
  readonly kind: FeatureKind;
  /** Categorical only: keep the N most frequent training categories (default 50); the rest go to `__unknown__`. */
  readonly topN?: number | undefined;
}

/** A raw target value: a class label (string, boolean or number) or a numeric value. */
export type TargetValue = string | boolean | number;

/** What to predict. */
export interface TargetSpec {
  readonly name: string;
  /**
   * `binary`: two classes, the model outputs the probability of `positive`; `multiclass`: two or
   * more classes (the training split's values, see {@link MAX_CLASSES} and {@link MIN_CLASS_ROWS}),
   * the model outputs a probability per class (softmax); `numeric`: regression.
   */
  readonly kind: 'binary' | 'multiclass' | 'numeric';
  /**
   * Binary only: the value that counts as the positive class. May be omitted when the values are
   * booleans (`true` is positive) or the numbers 0/1 (1 is positive).
   */
  readonly positive?: TargetValue | undefined;
}

/**
 * Most classes a multiclass target may have (after pooling rare ones): each class is an output
 * unit and a row and column of the confusion matrix, and past a few dozen classes the per-class
 * metrics rest on a handful of test rows. A finer target should be derived into coarser classes.
 */
export const MAX_CLASSES = 50;

/**
 * A multiclass target's value with fewer training rows than this is pooled into the class
 * {@link OTHER_CLASS}: too few rows to learn from or to score on (the test split holds ~15% of them).
 */
export const MIN_CLASS_ROWS = 5;

/** The class that holds a multiclass target's rare values (and, at evaluation, values unseen in training). */
export const OTHER_CLASS = '__other__';

/** The four model families. Classifiers need a binary or multiclass target, regressors a numeric one. */
export type ModelKind = 'logistic_regression' | 'mlp_classifier' | 'linear_regression' | 'mlp_regression';

/** The model kinds, for validation and UIs. */
export const MODEL_KINDS: readonly ModelKind[] = ['logistic_regression', 'mlp_classifier', 'linear_regression', 'mlp_regression'];

/**
 * Class-imbalance handling for classifiers (ignored, and must be `'none'`, for regressors):
 * - `none`: plain cross-entropy;
 * - `class_weights`: each class weighted n / (k·n_class) in the loss ("balanced" weights; k = 2 for binary);
 * - `oversample`: rows of every smaller class drawn with replacement up to the largest class's count;
 * - `undersample`: rows of every larger class subsampled down to the smallest class's count.
 * Resampling touches the training split only; validation and test keep the real class mix.
 */
export type ImbalanceStrategy = 'none' | 'class_weights' | 'oversample' | 'undersample';

/** Training hyperparameters; every field has a default. */
export interface Hyperparameters {
  /** Maximum passes over the training split (default 30). */
  readonly epochs?: number | undefined;
  /** Rows per gradient step (default 256). */
  readonly batchSize?: number | undefined;
  /** Adam step size (default 0.01). */
  readonly learningRate?: number | undefined;
  /** Hidden layer widths of the MLP kinds (default [32, 16]); ignored by the linear kinds. */
  readonly hiddenUnits?: readonly number[] | undefined;
  /** L2 penalty on the weight matrices (not biases), added to the loss as l2·Σw² (default 1e-3: with 1e-4 an MLP regression on 300 demo admissions let a membership-inference attack reach AUC 0.61; 1e-3 brought it to 0.59 at no cost in R²). */
  readonly l2?: number | undefined;
  /**
   * Early stopping: stop after this many epochs without a lower validation loss and restore the
   * best epoch's weights (default 5). `0` trains all `epochs` (best weights are still restored).
   */
  readonly patience?: number | undefined;
  /** Seed, used when the request has none (the request's `seed` wins). */
  readonly seed?: number | string | undefined;
}

/** {@link Hyperparameters} with every default filled in, as recorded in a model. */
export interface ResolvedHyperparameters {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly hiddenUnits: readonly number[];
  readonly l2: number;
  readonly patience: number;
  readonly seed: number | string;
}

/** The TensorFlow.js backends this package can run on, fastest first. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
