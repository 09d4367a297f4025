/**
 * `@airlock/ml`: the training core. Pure and in memory: the trainer service reads the rows of an
 * approved zone, calls {@link train}, stores the returned JSON model and serves it with
 * {@link loadModel}. TensorFlow.js stays inside this package; the API speaks plain arrays and JSON.
 */
export { initBackend, currentBackend } from './backend.ts';
export type { BackendReport } from './backend.ts';

export { fitEncoder, encode, encodeTarget, ENCODER_FORMAT, ENCODER_VERSION, UNKNOWN_CATEGORY, DEFAULT_TOP_N } from './encoder.ts';
export type { Encoder, EncodedFeature, EncodedTarget, EncodedMatrix, EncoderSpec, EncodeOptions } from './encoder.ts';

export { train, splitIndices, checkHyperparameters, HYPERPARAMETER_LIMITS, DEFAULT_HYPERPARAMETERS, DEFAULT_SPLITS, DEFAULT_THRESHOLD } from './train.ts';
export type {
  TrainRequest,
  TrainOptions,
  TrainResult,
  EpochProgress,
  ModelMetrics,
  ClassificationMetrics,
  MulticlassMetrics,
  RegressionMetrics,
  SplitIndices,
} from './train.ts';

export { loadModel, predictionLatency } from './predict.ts';
export type { Predictor, Prediction, PredictOptions, LoadModelOptions, LatencyReport } from './predict.ts';

export { MODEL_FORMAT, MODEL_VERSION, modelFeatures } from './model.ts';
export type { SerializedModel, DriftReference, DriftReferenceFeature } from './model.ts';
export type { Architecture, Activation, SerializedTensor } from './network.ts';

export { featureDrift, REFERENCE_SAMPLE_SIZE } from './drift.ts';
export type { FeatureDrift } from './drift.ts';

export { compareModels } from './compare.ts';
export type { CompareOptions, ModelComparison } from './compare.ts';

export { MAX_CLASSES, MIN_CLASS_ROWS, MODEL_KINDS, OTHER_CLASS } from './types.ts';
export type {
  BackendName,
  FeatureKind,
  FeatureSpec,
  Hyperparameters,
  ImbalanceStrategy,
  ModelKind,
  ResolvedHyperparameters,
  Row,
  TargetSpec,
  TargetValue,
} from './types.ts';

export { assessModel, ASSESSMENT_VERSION, SMALL_TEST_ROWS, SMALL_TEST_CLASS_ROWS } from './assess/assess.ts';
export type { Assessment, AssessOptions } from './assess/assess.ts';
export { evaluateOnRows } from './assess/evaluate.ts';
export type { RowsEvaluation } from './assess/evaluate.ts';
export { DEFAULT_MAX_MEMBERSHIP_AUC } from './assess/membership.ts';
export type { MembershipReport } from './assess/membership.ts';
export { LEAKAGE_THRESHOLD } from './assess/leakage.ts';
export type { LeakageReport, FeatureLeakage } from './assess/leakage.ts';
export { MIN_SUBGROUP_ROWS } from './assess/subgroups.ts';
export type { AttributeSubgroups, Subgroup } from './assess/subgroups.ts';
export type { FeatureImportance } from './assess/importance.ts';
export type { Interval } from './assess/bootstrap.ts';
