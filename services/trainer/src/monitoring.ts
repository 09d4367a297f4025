import { AirlockError } from '@airlock/core';
import type { AirlockDatabase } from '@airlock/db';
import { compareModels, featureDrift, loadModel, modelFeatures, splitIndices, type FeatureDrift, type ModelComparison, type Row } from '@airlock/ml';
import type { ModelRecord, RegistryRepository } from './registry.repository.ts';
import { loadTrainingRows } from './training-data.ts';

/**
 * Drift of a zone's current data against what a model was trained on: population stability
 * index per feature between the model's stored reference sample and `batch` (given rows, or the
 * zone's current snapshot), flagged `watch` from 0.1 and `act` from 0.25.
 */
export async function driftReport(
  database: AirlockDatabase,
  registry: RegistryRepository,
  model: ModelRecord,
  source: { rows: readonly Row[] } | { zone: ModelRecord['zone'] },
): Promise<FeatureDrift[]> {
  const artifact = await registry.artifact(model);
  const features = modelFeatures(artifact);
  const rows = 'rows' in source ? source.rows : (await loadTrainingRows(database, source.zone, model.dataset, features.map((f) => f.name))).rows;
  return featureDrift(artifact, rows, features);
}

/**
 * "B is better than A" as a tested claim: both classifiers scored on the same held-out test rows
 * (the test split both saw the same way: same dataset, zone, data snapshot and seed, so the split
 * is rebuilt exactly), with McNemar's test and a paired bootstrap of the ROC AUC difference.
 */
export async function compareOnTestSet(database: AirlockDatabase, registry: RegistryRepository, a: ModelRecord, b: ModelRecord): Promise<ModelComparison & { testRows: number }> {
  const cardA = a.card as { dataSnapshotSha256?: string; seed?: number; target?: { kind: string } };
  const cardB = b.card as typeof cardA;
  if (a.dataset !== b.dataset || a.zone !== b.zone || a.target !== b.target || cardA.dataSnapshotSha256 !== cardB.dataSnapshotSha256 || cardA.seed !== cardB.seed) {
    throw new AirlockError(
      'BAD_REQUEST',
      'Models can be compared only on the same test set: train both on the same dataset, zone, target, data snapshot and seed.',
    );
  }
  if (cardA.target?.kind !== 'binary') throw new AirlockError('BAD_REQUEST', 'Comparison is for classifiers (McNemar and ROC AUC).');
  const [artifactA, artifactB] = await Promise.all([registry.artifact(a), registry.artifact(b)]);
  const features = [...new Set([...a.features, ...b.features])];
  const { rows, snapshotSha256 } = await loadTrainingRows(database, a.zone, a.dataset, [...features, a.target]);
  if (snapshotSha256 !== cardA.dataSnapshotSha256) {
    throw new AirlockError('CONFLICT', `The ${a.zone} data of ${a.dataset} changed since these models were trained; their test set cannot be rebuilt. Retrain both.`);
  }
  const target = artifactA.encoder.target;
  if (target.kind !== 'binary') throw new AirlockError('BAD_REQUEST', 'Comparison is for classifiers (McNemar and ROC AUC).');
  const split = splitIndices({ rows, target: { name: target.name, kind: 'binary', positive: target.positive }, kind: artifactA.kind, seed: cardA.seed ?? 0 });
  const test = split.test.map((i) => rows[i]!);
  const [predictorA, predictorB] = await Promise.all([loadModel(artifactA), loadModel(artifactB)]);
  // Each model is shown exactly its own features (predict is strict about unknown ones).
  const probs = (p: Awaited<ReturnType<typeof loadModel>>, features: readonly string[]) =>
    p.predict(test.map((row) => Object.fromEntries(features.map((f) => [f, row[f]])))).predictions.map((x) => x.probability ?? 0);
  const labels = test.map((r) => (r[a.target] === target.positive ? 1 : 0));
  return { ...compareModels(labels, probs(predictorA, a.features), probs(predictorB, b.features)), testRows: test.length };
}
