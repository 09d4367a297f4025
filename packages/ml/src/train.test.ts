import { minOf } from '@airlock/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { classificationReport } from '@airlock/metrics';
import { initBackend, loadTf } from './backend.ts';
import { encode, fitEncoder } from './encoder.ts';
import { PLANTED_FEATURES, plantedRows } from './fixtures.ts';
import { deserializeWeights } from './network.ts';
import { loadModel } from './predict.ts';
import { featureDrift } from './drift.ts';
import { forwardOnBackend, splitIndices, train, type ClassificationMetrics, type RegressionMetrics, type TrainRequest, type TrainResult } from './train.ts';
import type { Row } from './types.ts';

const ROWS = plantedRows(3000);
const CLASSIFY: TrainRequest = {
  rows: ROWS,
  features: PLANTED_FEATURES,
  target: { name: 'label', kind: 'binary' },
  kind: 'logistic_regression',
  seed: 11,
  hyperparameters: { epochs: 15 },
};

let logistic: TrainResult;

beforeAll(async () => {
  await initBackend();
  logistic = await train(CLASSIFY);
});

function classification(result: TrainResult): ClassificationMetrics {
  if (result.metrics.task !== 'classification') throw new Error('expected classification metrics');
  return result.metrics;
}

describe('train: classifiers', () => {
  it('logistic regression finds a planted linear signal and beats the base rate', () => {
    const m = classification(logistic);
    expect(m.rocAuc).toBeGreaterThanOrEqual(0.8);
    expect(m.accuracy).toBeGreaterThan(m.baselineAccuracy + 0.1);
    expect(m.brier).toBeLessThan(m.baselineBrier);
    const counts = logistic.rowCounts;
    expect(m.n).toBe(counts.test);
    expect(counts.train + counts.validation + counts.test).toBe(ROWS.length);
    expect(Math.abs(counts.test - 450)).toBeLessThanOrEqual(1); // 15%, to the row per class
    expect(counts.trainFitted).toBe(counts.train);
    expect(logistic.model.architecture.layers).toEqual([{ units: 1, activation: 'sigmoid' }]);
    expect(logistic.history.length).toBe(logistic.epochs);
    expect(logistic.history.every((h) => Number.isFinite(h.loss) && h.ms > 0)).toBe(true);
    expect(logistic.history.at(-1)!.valMetric).toBeGreaterThan(0.8); // validation ROC AUC
    expect(logistic.history.at(-1)!.valLoss).toBeLessThan(logistic.history[0]!.valLoss);
    expect(['wasm', 'cpu', 'tensorflow']).toContain(logistic.backend);
    expect(logistic.model.backend).toBe(logistic.backend);
  });

  it('an MLP classifier does too', async () => {
    const epochs: number[] = [];
    const mlp = await train({ ...CLASSIFY, kind: 'mlp_classifier', hyperparameters: { epochs: 10, hiddenUnits: [16, 8] } }, { onEpoch: (p) => epochs.push(p.epoch) });
    const m = classification(mlp);
    expect(m.rocAuc).toBeGreaterThanOrEqual(0.8);
    expect(m.accuracy).toBeGreaterThan(m.baselineAccuracy + 0.1);
    expect(mlp.model.architecture.layers.map((l) => l.units)).toEqual([16, 8, 1]);
    expect(epochs).toEqual(mlp.history.map((h) => h.epoch));
  });

  it('fits the encoder on the training split only', () => {
    const split = splitIndices(CLASSIFY);
    const trainRows = split.train.map((i) => ROWS[i]!);
    expect(logistic.model.encoder).toEqual(fitEncoder(trainRows, CLASSIFY));
    // Splits are disjoint, cover every row and keep the class mix (stratified).
    expect(new Set([...split.train, ...split.validation, ...split.test]).size).toBe(ROWS.length);
    const share = (idx: number[]): number => idx.filter((i) => ROWS[i]!['label'] === true).length / idx.length;
    expect(Math.abs(share(split.test) - share(split.train))).toBeLessThan(0.01);
  });

  it('class weights and oversampling raise minority recall on an imbalanced set', async () => {
    const rows = plantedRows(4000, { seed: 3, intercept: -3.6, x1: 1, x2: -0.8, color: 0.5 });
    const positives = rows.filter((r) => r['label'] === true).length / rows.length;
    expect(positives).toBeLessThan(0.1);
    const request: TrainRequest = { ...CLASSIFY, rows, hyperparameters: { epochs: 15, learningRate: 0.05 } };
    const recall = async (imbalance: TrainRequest['imbalance']): Promise<number> => classification(await train({ ...request, imbalance })).recall;
    const none = await recall('none');
    const weighted = await recall('class_weights');
    const oversampled = await recall('oversample');
    // Measured: none 0.05, class_weights 0.68, oversample 0.62 (37 test positives).
    expect(weighted).toBeGreaterThan(none + 0.3);
    expect(oversampled).toBeGreaterThan(none + 0.3);
    const under = await train({ ...request, imbalance: 'undersample' });
    expect(under.rowCounts.trainFitted).toBeLessThan(under.rowCounts.train / 4);
    expect(classification(under).recall).toBeGreaterThan(none);
  });
});

describe('train: regression', () => {
  it('linear regression recovers a planted linear relation (R² ≥ 0.8)', async () => {
    const result = await train({ ...CLASSIFY, target: { name: 'amount', kind: 'numeric' }, kind: 'linear_regression', hyperparameters: { epochs: 20, learningRate: 0.05 } });
    const m = result.metrics as RegressionMetrics;
    expect(m.task).toBe('regression');
    expect(m.r2).toBeGreaterThanOrEqual(0.8);
    expect(m.rmse).toBeLessThan(m.baselineRmse / 2);
    const predictor = await loadModel(result.model);
    const { value } = predictor.predict([{ x1: 1, x2: 0, color: 'b', member: false, visit: '2020-06-15' }]).predictions[0]!;
    expect(value).toBeCloseTo(103, 0); // 100 + 3·x1
  });

  it('an MLP regressor too', async () => {
    const result = await train({ ...CLASSIFY, target: { name: 'amount', kind: 'numeric' }, kind: 'mlp_regression', hyperparameters: { epochs: 10 } });
    expect((result.metrics as RegressionMetrics).r2).toBeGreaterThanOrEqual(0.8);
  });
});

describe('train: early stopping, determinism, serialization', () => {
  it('stops before the maximum on a tiny noisy set and keeps the best epoch', async () => {
    const rows = plantedRows(80, { seed: 5, x1: 0, x2: 0, color: 0 }); // no signal: validation loss can only get worse
    const result = await train({ ...CLASSIFY, rows, kind: 'mlp_classifier', hyperparameters: { epochs: 200, patience: 3, learningRate: 0.05, batchSize: 16 } });
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochs).toBeLessThan(200);
    expect(result.epochs).toBe(result.bestEpoch + 3);
    const best = minOf(result.history.map((h) => h.valLoss));
    expect(result.history[result.bestEpoch - 1]!.valLoss).toBe(best);
  });

  it('is deterministic for a seed', async () => {
    const again = await train(CLASSIFY);
    expect(again.metrics).toEqual(logistic.metrics);
    expect(again.model.weights).toEqual(logistic.model.weights);
    expect(again.history.map(({ ms: _ms, ...h }) => h)).toEqual(logistic.history.map(({ ms: _ms, ...h }) => h));
    const other = await train({ ...CLASSIFY, seed: 12 });
    expect(other.model.weights).not.toEqual(logistic.model.weights);
  });

  it('serializes to JSON and predicts the same after loading, matching the backend forward pass to 1e-5', async () => {
    const json = JSON.stringify(logistic.model);
    const predictor = await loadModel(json);
    const testRows: Row[] = splitIndices(CLASSIFY).test.map((i) => {
      const { label: _label, amount: _amount, ...features } = ROWS[i]!;
      return features;
    });
    const probabilities = predictor.predict(testRows).predictions.map((p) => p.probability!);

    const model = JSON.parse(json) as typeof logistic.model;
    const matrix = encode(model.encoder, testRows).matrix;
    const onBackend = forwardOnBackend(await loadTf(), model.architecture, deserializeWeights(model.architecture, model.weights), matrix, testRows.length);
    for (let i = 0; i < testRows.length; i++) expect(Math.abs(probabilities[i]! - onBackend[i]!)).toBeLessThan(1e-5);

    // The reported metrics are those of the stored model.
    const labels = splitIndices(CLASSIFY).test.map((i) => (ROWS[i]!['label'] === true ? 1 : 0));
    expect(classificationReport(labels, probabilities).rocAuc).toBe(classification(logistic).rocAuc);
    const direct = (await loadModel(logistic.model)).predict(testRows.slice(0, 5)).predictions;
    expect(direct).toEqual(predictor.predict(testRows.slice(0, 5)).predictions);
    expect(direct[0]!.label).toBe(direct[0]!.probability! >= 0.5);
  });

  it('frees every tensor and honours an abort signal', async () => {
    const tf = await loadTf();
    const before = tf.memory().numTensors;
    await train({ ...CLASSIFY, kind: 'mlp_classifier', hyperparameters: { epochs: 2 } });
    expect(tf.memory().numTensors).toBe(before);
    const controller = new AbortController();
    const aborted = train({ ...CLASSIFY, hyperparameters: { epochs: 10 } }, { signal: controller.signal, onEpoch: (p) => p.epoch === 2 && controller.abort(new Error('job cancelled')) });
    await expect(aborted).rejects.toThrow('job cancelled');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses invalid requests with BAD_REQUEST', async () => {
    await expect(train({ ...CLASSIFY, kind: 'linear_regression' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('needs a numeric target') });
    await expect(train({ ...CLASSIFY, target: { name: 'amount', kind: 'numeric' }, kind: 'linear_regression', imbalance: 'oversample' })).rejects.toMatchObject({
      message: expect.stringContaining('classifiers only'),
    });
    await expect(train({ ...CLASSIFY, hyperparameters: { epochs: 0, learningRate: -1 } })).rejects.toMatchObject({
      message: 'invalid hyperparameters: epochs must be an integer from 1 to 1000, got 0; learningRate must be a number > 0, got -1',
    });
    await expect(train({ ...CLASSIFY, splits: { validation: 0.5, test: 0.5 } })).rejects.toMatchObject({ message: expect.stringContaining('leave rows to train on') });
    await expect(train({ ...CLASSIFY, rows: ROWS.slice(0, 3) })).rejects.toMatchObject({ message: expect.stringContaining('every split needs rows') });
    await expect(train({ ...CLASSIFY, features: [{ name: 'agee', kind: 'numeric' }] })).rejects.toMatchObject({ message: expect.stringMatching(/^unknown feature "agee"; known: x1, x2/) });
  });
});

describe('featureDrift against a trained model', () => {
  it('flags a shifted batch as act and a batch like training as stable', () => {
    const reference = logistic.model.reference;
    expect(reference.size).toBe(2000);
    expect(reference.features.map((f) => f.name)).toEqual(['x1', 'x2', 'color', 'member', 'visit']);
    const fresh = plantedRows(2000, { seed: 99 });
    const same = featureDrift(logistic.model, fresh);
    expect(same.map((d) => d.level)).toEqual(['stable', 'stable', 'stable', 'stable', 'stable']);
    const shifted = fresh.map((r) => ({ ...r, x1: (r['x1'] as number) + 1.5, color: 'c' }));
    const drift = featureDrift(logistic.model, shifted, [
      { name: 'x1', kind: 'numeric' },
      { name: 'color', kind: 'categorical' },
      { name: 'x2', kind: 'numeric' },
    ]);
    expect(drift.map((d) => [d.feature, d.level])).toEqual([
      ['x1', 'act'],
      ['color', 'act'],
      ['x2', 'stable'],
    ]);
  });
});
