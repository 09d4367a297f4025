import {
  assessModel,
  compareModels,
  evaluateOnRows,
  featureDrift,
  initBackend,
  loadModel,
  modelFeatures,
  predictionLatency,
  splitIndices,
  train,
  type Assessment,
  type BackendName,
  type BackendReport,
  type EpochProgress,
  type FeatureDrift,
  type FeatureSpec,
  type Hyperparameters,
  type ImbalanceStrategy,
  type LatencyReport,
  type ModelKind,
  type Row,
  type RowsEvaluation,
  type SerializedModel,
  type TargetSpec,
  type TrainResult,
} from '@airlock/ml';
import type { ModelComparisonReport } from '@airlock/models';

/**
 * The CPU-heavy work of the trainer, run inside a worker thread (see run-in-worker.ts): plain
 * data in (rows already read through a zone's role), plain data out. Nothing here touches the
 * database, and TensorFlow.js is loaded only in the worker that trains.
 */
export type WorkerTask =
  | { kind: 'probe'; backend?: BackendName | undefined }
  | {
      kind: 'train';
      /** `AIRLOCK_TF_BACKEND`: that backend only; unset = the fastest that loads. */
      backend?: BackendName | undefined;
      rows: Row[];
      features: FeatureSpec[];
      target: TargetSpec;
      modelKind: ModelKind;
      imbalance?: ImbalanceStrategy | undefined;
      hyperparameters?: Hyperparameters | undefined;
      seed: number;
      /** A row for the card's single-row prediction latency. */
      latencyRow: Row;
      /** Settings of the card's assessment (attributes the rows hold beyond the features, the membership limit). */
      assess?: { attributes: readonly string[]; maxMembershipAuc: number } | undefined;
      /** The evaluation zone's held-out rows, scored after training (see run-job.ts). */
      evaluation?: Row[] | undefined;
    }
  | { kind: 'drift'; artifact: SerializedModel; rows: Row[] }
  | {
      kind: 'compare';
      a: { artifact: SerializedModel; features: string[] };
      b: { artifact: SerializedModel; features: string[] };
      rows: Row[];
      /** True: `rows` are the held-out rows themselves (an evaluation hold-out); false: rebuild the test split from them. */
      rowsAreTest: boolean;
      seed: number;
    };

export interface TrainTaskResult extends TrainResult {
  latency: LatencyReport;
  assessment: Assessment;
  evaluation?: RowsEvaluation | undefined;
}

/** What each task returns. */
export interface WorkerResults {
  probe: BackendReport;
  train: TrainTaskResult;
  drift: FeatureDrift[];
  compare: ModelComparisonReport;
}

/** Run one task in this thread; `onEpoch` reports training progress. */
export async function runTask(task: WorkerTask, onEpoch: (progress: EpochProgress) => void): Promise<WorkerResults[WorkerTask['kind']]> {
  switch (task.kind) {
    case 'probe':
      return initBackend(task.backend);
    case 'train': {
      await initBackend(task.backend);
      const request = {
        rows: task.rows,
        features: task.features,
        target: task.target,
        kind: task.modelKind,
        imbalance: task.imbalance,
        hyperparameters: task.hyperparameters,
        seed: task.seed,
      };
      const result = await train(request, { onEpoch });
      // Single-row prediction latency of the stored model, for the card.
      const latency = predictionLatency(await loadModel(result.model), task.latencyRow, 200);
      // Honest metrics, membership inference, leakage, subgroups and importance, on the same split.
      const assessment = await assessModel({ model: result.model, rows: task.rows, split: splitIndices(request) }, { ...task.assess, seed: task.seed });
      const evaluation = task.evaluation ? await evaluateOnRows(result.model, task.evaluation, { seed: task.seed }) : undefined;
      return { ...result, latency, assessment, evaluation };
    }
    case 'drift':
      return featureDrift(task.artifact, task.rows, modelFeatures(task.artifact));
    case 'compare':
      return compareOnTestRows(task);
  }
}

/**
 * Both classifiers scored on the same held-out rows: the evaluation hold-out as given, or the test
 * split of their shared training data, rebuilt exactly (same rows in the same order, same seed),
 * with McNemar's test and a paired bootstrap of the ROC AUC difference. The caller has checked
 * the pair is comparable.
 */
async function compareOnTestRows(task: Extract<WorkerTask, { kind: 'compare' }>): Promise<ModelComparisonReport> {
  const target = task.a.artifact.encoder.target;
  if (target.kind !== 'binary') throw new Error('comparison of a model that is not a classifier');
  const rows = task.rows;
  const test = task.rowsAreTest
    ? rows.filter((row) => row[target.name] !== null && row[target.name] !== undefined)
    : splitIndices({ rows, target: { name: target.name, kind: 'binary', positive: target.positive }, kind: task.a.artifact.kind, seed: task.seed }).test.map((i) => rows[i]!);
  const [predictorA, predictorB] = await Promise.all([loadModel(task.a.artifact), loadModel(task.b.artifact)]);
  // Each model is shown exactly its own features (predict is strict about unknown ones).
  const probs = (p: Awaited<ReturnType<typeof loadModel>>, features: readonly string[]) =>
    p.predict(test.map((row) => Object.fromEntries(features.map((f) => [f, row[f]])))).predictions.map((x) => x.probability ?? 0);
  const labels = test.map((r) => (r[target.name] === target.positive ? 1 : 0));
  return {
    ...compareModels(labels, probs(predictorA, task.a.features), probs(predictorB, task.b.features)),
    testRows: test.length,
    testedOn: task.rowsAreTest ? 'the evaluation hold-out' : 'the shared test split',
  };
}
