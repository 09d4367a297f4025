import type { RecordZone } from '@airlock/core';
import {
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLString,
  Kind,
  valueFromASTUntyped,
  type GraphQLFieldConfigMap,
} from 'graphql';
import type { ModelRecord, TrainingJob, TrainingRequest } from '@airlock/models';
import { MIN_DRIFT_INPUTS, type ModelMonitoring } from '../data/model-feedback.ts';
import type { RequestContext } from '../data/request-context.ts';
import { AssessmentType, EvaluationType } from './assessment-types.ts';

const nonNullString = new GraphQLNonNull(GraphQLString);

const ProgressType = new GraphQLObjectType({
  name: 'TrainingProgress',
  fields: {
    epoch: { type: GraphQLInt },
    epochs: { type: GraphQLInt },
    loss: { type: GraphQLFloat },
    valLoss: { type: GraphQLFloat },
    valMetric: { type: GraphQLFloat, description: 'Validation ROC AUC (binary classifiers), one-vs-rest macro ROC AUC (multiclass) or R² (regressors).' },
  },
});

export const TrainingJobType = new GraphQLObjectType<TrainingJob>({
  name: 'TrainingJob',
  fields: {
    id: { type: nonNullString },
    dataset: { type: nonNullString },
    zone: { type: nonNullString },
    state: { type: nonNullString, description: 'queued, running, succeeded, failed or refused.' },
    progress: { type: new GraphQLNonNull(ProgressType) },
    error: { type: GraphQLString },
    modelId: { type: GraphQLInt },
    requestedBy: { type: nonNullString },
    createdAt: { type: nonNullString, resolve: (j) => j.createdAt.toISOString() },
    startedAt: { type: GraphQLString, resolve: (j) => j.startedAt?.toISOString() ?? null },
    finishedAt: { type: GraphQLString, resolve: (j) => j.finishedAt?.toISOString() ?? null },
  },
});

const metric = (name: string) => ({ type: GraphQLFloat, resolve: (m: ModelRecord) => (typeof m.metrics[name] === 'number' ? m.metrics[name] : null) });

/** The multiclass metrics of a model (task "multiclass"), as stored; undefined for other models. */
interface StoredMulticlass {
  task: 'multiclass';
  classes: string[];
  perClass: Array<{ label: string; precision: number | null; recall: number | null; f1: number | null; support: number }>;
  macro: { precision: number | null; recall: number | null; f1: number | null };
  weighted: { precision: number | null; recall: number | null; f1: number | null };
  confusion: number[][];
}
const multiclassOf = (m: ModelRecord): StoredMulticlass | undefined => (m.metrics['task'] === 'multiclass' ? (m.metrics as unknown as StoredMulticlass) : undefined);
const averaged = (which: 'macro' | 'weighted', name: 'precision' | 'recall' | 'f1', description: string) => ({
  type: GraphQLFloat,
  description,
  resolve: (m: ModelRecord) => multiclassOf(m)?.[which][name] ?? null,
});

const ClassMetricsType = new GraphQLObjectType<StoredMulticlass['perClass'][number]>({
  name: 'ClassMetrics',
  description: "One class's test-split scores, one-vs-rest. Null where undefined (precision of a class never predicted).",
  fields: {
    label: { type: nonNullString },
    precision: { type: GraphQLFloat },
    recall: { type: GraphQLFloat },
    f1: { type: GraphQLFloat },
    support: { type: new GraphQLNonNull(GraphQLInt), description: 'Test rows of this class.' },
  },
});

const ConfusionMatrixType = new GraphQLObjectType<{ labels: string[]; counts: number[][] }>({
  name: 'ConfusionMatrix',
  description: 'Test-split counts: counts[i][j] is the rows of class labels[i] predicted as labels[j].',
  fields: {
    labels: { type: new GraphQLNonNull(new GraphQLList(nonNullString)) },
    counts: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLInt))))) },
  },
});

/**
 * A training target: a column's name ("ward"), or a target derived from a column, as JSON:
 * { derive: { column, op, value } }, { derive: { column, in: [...] } } or { derive: { column,
 * buckets: [...] } }. Checked in full by the request (400s that name the field), so the scalar
 * only takes a string or an object.
 */
const TrainingTargetScalar = new GraphQLScalarType({
  name: 'TrainingTarget',
  description:
    'A column name ("ward"), or a derived target: { derive: { column: "cost", op: ">", value: 0 } } (binary; op one of > >= < <= = !=), { derive: { column: "ward", in: ["icu", "surgery"] } } (binary) or { derive: { column: "age", buckets: [30, 50, 70] } } (multiclass: <30, 30–50, 50–70, ≥70).',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value === 'string' || (value !== null && typeof value === 'object' && !Array.isArray(value))) return value;
    throw new TypeError('target is a column name or { derive: { ... } }.');
  },
  parseLiteral: (ast, variables) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.OBJECT) return valueFromASTUntyped(ast, variables);
    throw new TypeError('target is a column name or { derive: { ... } }.');
  },
});

export const ModelType = new GraphQLObjectType<ModelRecord>({
  name: 'Model',
  fields: {
    id: { type: new GraphQLNonNull(GraphQLInt) },
    name: { type: nonNullString },
    version: { type: new GraphQLNonNull(GraphQLInt) },
    dataset: { type: nonNullString },
    zone: { type: nonNullString },
    kind: { type: nonNullString },
    target: { type: nonNullString },
    features: { type: new GraphQLNonNull(new GraphQLList(nonNullString)) },
    aliases: { type: new GraphQLNonNull(new GraphQLList(nonNullString)) },
    rocAuc: metric('rocAuc'),
    prAuc: metric('prAuc'),
    accuracy: metric('accuracy'),
    f1: metric('f1'),
    brier: metric('brier'),
    r2: metric('r2'),
    rmse: metric('rmse'),
    task: { type: GraphQLString, description: 'classification (binary), multiclass or regression.', resolve: (m) => (typeof m.metrics['task'] === 'string' ? m.metrics['task'] : null) },
    classes: { type: new GraphQLList(nonNullString), description: 'Multiclass: the classes, in output order ("__other__" holds the pooled rare values).', resolve: (m) => multiclassOf(m)?.classes ?? null },
    macroF1: averaged('macro', 'f1', 'Multiclass: F1 averaged over the classes present in the test split.'),
    macroPrecision: averaged('macro', 'precision', 'Multiclass: precision averaged over the classes (a class never predicted counts 0).'),
    macroRecall: averaged('macro', 'recall', 'Multiclass: recall averaged over the classes.'),
    weightedF1: averaged('weighted', 'f1', 'Multiclass: F1 averaged over the classes, weighted by support.'),
    logLoss: metric('logLoss'),
    rocAucMacro: { ...metric('rocAucMacro'), description: 'Multiclass: one-vs-rest ROC AUC averaged over the classes.' },
    perClass: { type: new GraphQLList(new GraphQLNonNull(ClassMetricsType)), description: 'Multiclass: test scores per class.', resolve: (m) => multiclassOf(m)?.perClass ?? null },
    confusionMatrix: {
      type: ConfusionMatrixType,
      description: 'Multiclass: the k×k test confusion matrix with its class labels.',
      resolve: (m) => {
        const mc = multiclassOf(m);
        return mc ? { labels: mc.classes, counts: mc.confusion } : null;
      },
    },
    metrics: { type: nonNullString, description: 'All test-split metrics, JSON.', resolve: (m) => JSON.stringify(m.metrics) },
    card: { type: nonNullString, description: 'The model card, JSON.', resolve: (m) => JSON.stringify(m.card) },
    assessment: { type: AssessmentType, description: 'Null for models trained before models were assessed.', resolve: (m) => m.card['assessment'] ?? null },
    evaluation: { type: EvaluationType, description: "Null when the dataset's policy names no evaluation zone.", resolve: (m) => m.card['evaluation'] ?? null },
    createdBy: { type: nonNullString },
    createdAt: { type: nonNullString, resolve: (m) => m.createdAt.toISOString() },
  },
});

const ModelKindEnum = new GraphQLEnumType({
  name: 'ModelKind',
  values: { logistic_regression: {}, mlp_classifier: {}, linear_regression: {}, mlp_regression: {} },
});
const ImbalanceEnum = new GraphQLEnumType({ name: 'Imbalance', values: { none: {}, class_weights: {}, oversample: {}, undersample: {} } });
const TrainZoneEnum = new GraphQLEnumType({ name: 'TrainingZone', values: { deidentified: {}, synthetic: {}, restricted: {} } });

const TrainModelInput = new GraphQLInputObjectType({
  name: 'TrainModelInput',
  fields: {
    dataset: { type: nonNullString },
    zone: { type: new GraphQLNonNull(TrainZoneEnum), description: 'Must be in the policy\'s training.approved_zones.' },
    target: { type: new GraphQLNonNull(TrainingTargetScalar) },
    features: { type: new GraphQLNonNull(new GraphQLList(nonNullString)) },
    kind: { type: new GraphQLNonNull(ModelKindEnum) },
    positiveClass: { type: GraphQLString, description: 'For a text or number target: the positive class (binary). Without it, a classifier on such a target is multiclass.' },
    imbalance: { type: ImbalanceEnum, defaultValue: 'none' },
    seed: { type: GraphQLInt, defaultValue: 0 },
    epochs: { type: GraphQLInt },
    batchSize: { type: GraphQLInt },
    learningRate: { type: GraphQLFloat },
    hiddenUnits: { type: new GraphQLList(new GraphQLNonNull(GraphQLInt)) },
    l2: { type: GraphQLFloat },
    patience: { type: GraphQLInt },
    name: { type: GraphQLString, description: 'Registry name (default <dataset>-<target>-<kind>; a derived target appears as a slug such as cost-gt-0).' },
  },
});

type TrainInput = Omit<TrainingRequest, 'hyperparameters'> & { epochs?: number; batchSize?: number; learningRate?: number; hiddenUnits?: number[]; l2?: number; patience?: number };

const FeatureDriftType = new GraphQLObjectType({
  name: 'FeatureDrift',
  fields: {
    feature: { type: nonNullString },
    kind: { type: nonNullString },
    psi: { type: new GraphQLNonNull(GraphQLFloat), description: 'Population stability index.' },
    level: { type: nonNullString, description: 'stable (< 0.1), watch (< 0.25) or act.' },
    referenceSize: { type: new GraphQLNonNull(GraphQLInt) },
    batchSize: { type: new GraphQLNonNull(GraphQLInt) },
  },
});

const ComparisonType = new GraphQLObjectType<{ testRows: number; testedOn: string; mcnemar: { b: number; c: number; statistic: number; p: number; exact: boolean }; bootstrapAuc: { aucA: number; aucB: number; difference: number; ci95: [number, number]; p: number } }>({
  name: 'ModelComparison',
  description: 'A on the left, B on the right, scored on the same held-out test rows.',
  fields: {
    testRows: { type: new GraphQLNonNull(GraphQLInt) },
    testedOn: { type: nonNullString, description: 'The evaluation hold-out (real rows, whatever zones the models were trained on) or the shared test split.' },
    aucA: { type: new GraphQLNonNull(GraphQLFloat), resolve: (c) => c.bootstrapAuc.aucA },
    aucB: { type: new GraphQLNonNull(GraphQLFloat), resolve: (c) => c.bootstrapAuc.aucB },
    aucDifference: { type: new GraphQLNonNull(GraphQLFloat), description: 'A − B.', resolve: (c) => c.bootstrapAuc.difference },
    aucDifferenceCi95: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLFloat))), resolve: (c) => c.bootstrapAuc.ci95 },
    bootstrapP: { type: new GraphQLNonNull(GraphQLFloat), description: 'Paired bootstrap p-value for equal AUCs.', resolve: (c) => c.bootstrapAuc.p },
    mcnemarP: { type: new GraphQLNonNull(GraphQLFloat), description: "McNemar's p-value for equal error rates.", resolve: (c) => c.mcnemar.p },
    onlyACorrect: { type: new GraphQLNonNull(GraphQLInt), resolve: (c) => c.mcnemar.b },
    onlyBCorrect: { type: new GraphQLNonNull(GraphQLInt), resolve: (c) => c.mcnemar.c },
  },
});

const ModelMonitoringType = new GraphQLObjectType<ModelMonitoring>({
  name: 'ModelMonitoring',
  description: 'A served model seen through its predictions: metrics on the outcomes posted for them (POST /models/{ref}/outcomes), next to its test metrics, and drift of recent inputs.',
  fields: {
    model: { type: new GraphQLNonNull(ModelType) },
    predictions: { type: new GraphQLNonNull(GraphQLInt), description: 'Predictions read (the newest `recent`).', resolve: (m) => m.live.predictions },
    withOutcome: { type: new GraphQLNonNull(GraphQLInt), description: 'Of those, with an outcome posted.', resolve: (m) => m.live.withOutcome },
    accuracy: { type: GraphQLFloat, description: 'Classifiers: share of predicted labels equal to the outcome.', resolve: (m) => m.live.accuracy ?? null },
    rocAuc: { type: GraphQLFloat, description: 'Binary classifiers, once both classes were posted.', resolve: (m) => m.live.rocAuc ?? null },
    mae: { type: GraphQLFloat, description: 'Regressors: mean absolute error on the outcomes.', resolve: (m) => m.live.mae ?? null },
    rmse: { type: GraphQLFloat, resolve: (m) => m.live.rmse ?? null },
    testMetrics: { type: nonNullString, description: "The model's test-split metrics, JSON, to set beside the live ones.", resolve: (m) => JSON.stringify(m.model.metrics) },
    drift: {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(FeatureDriftType))),
      description: `PSI per feature between the training data and the recent prediction inputs; empty below ${MIN_DRIFT_INPUTS} inputs.`,
    },
  },
});

export function trainingQueries(): GraphQLFieldConfigMap<unknown, RequestContext> {
  return {
    modelMonitoring: {
      type: new GraphQLNonNull(ModelMonitoringType),
      description: 'Live metrics and input drift of a served model, from its logged predictions; for the roles that may use it.',
      args: { ref: { type: nonNullString }, recent: { type: new GraphQLNonNull(GraphQLInt), defaultValue: 1000, description: 'How many of the newest predictions to read (1 to 10000).' } },
      resolve: (_, a: { ref: string; recent: number }, ctx) => ctx.repository.modelMonitoring(a.ref, a.recent),
    },
    modelDrift: {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(FeatureDriftType))),
      description: "Drift of a zone's current data from a model's training data, per feature.",
      args: { ref: { type: nonNullString }, zone: { type: TrainZoneEnum, description: "Default: the model's own zone." } },
      resolve: (_, a: { ref: string; zone?: RecordZone | null }, ctx) => ctx.repository.modelDrift(a.ref, a.zone ?? undefined),
    },
    compareModels: {
      type: new GraphQLNonNull(ComparisonType),
      args: { a: { type: nonNullString }, b: { type: nonNullString } },
      resolve: (_, a: { a: string; b: string }, ctx) => ctx.repository.compareModels(a.a, a.b),
    },
    trainingJob: {
      type: TrainingJobType,
      args: { id: { type: nonNullString } },
      resolve: (_, a: { id: string }, ctx) => ctx.repository.trainingJob(a.id),
    },
    models: {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(ModelType))),
      args: { dataset: { type: GraphQLString } },
      description: 'Registered model versions of the datasets and zones the caller may read.',
      resolve: (_, a: { dataset?: string | null }, ctx) => ctx.repository.models(a.dataset ?? undefined),
    },
    model: {
      type: ModelType,
      args: { ref: { type: nonNullString, description: 'An id (42), name@alias (readmission@production) or name@v3.' } },
      resolve: (_, a: { ref: string }, ctx) => ctx.repository.model(a.ref),
    },
  };
}

export function trainingMutations(): GraphQLFieldConfigMap<unknown, RequestContext> {
  return {
    trainModel: {
      type: new GraphQLNonNull(TrainingJobType),
      description: 'Queue a training job on a zone the policy approves for training (checked now and again by the trainer).',
      args: { input: { type: new GraphQLNonNull(TrainModelInput) } },
      resolve: (_, a: { input: TrainInput }, ctx) => {
        const { epochs, batchSize, learningRate, hiddenUnits, l2, patience, ...rest } = a.input;
        const hyperparameters = Object.fromEntries(
          Object.entries({ epochs, batchSize, learningRate, hiddenUnits, l2, patience }).filter(([, v]) => v !== undefined && v !== null),
        );
        return ctx.repository.requestTraining({ ...rest, hyperparameters } as TrainingRequest);
      },
    },
    cancelTrainingJob: {
      type: new GraphQLNonNull(TrainingJobType),
      description: 'Cancel a queued job (it ends now) or a running one (its trainer stops it at the next batch; poll trainingJob).',
      args: { id: { type: nonNullString } },
      resolve: (_, a: { id: string }, ctx) => ctx.repository.cancelTrainingJob(a.id),
    },
    promoteModel: {
      type: new GraphQLNonNull(ModelType),
      args: { id: { type: new GraphQLNonNull(GraphQLInt) }, alias: { type: nonNullString } },
      resolve: (_, a: { id: number; alias: string }, ctx) => ctx.repository.promoteModel(a.id, a.alias),
    },
  };
}
