import { AirlockError, maxOf, minOf } from '@airlock/core';
import { readAdultRows } from '@airlock/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, loadTf } from './backend.ts';
import { PLANTED_FEATURES, plantedRows } from './fixtures.ts';
import { parseModel } from './model.ts';
import { deserializeWeights, forward } from './network.ts';
import { loadModel } from './predict.ts';
import { forwardOnBackend, train, type MulticlassMetrics, type TrainRequest, type TrainResult } from './train.ts';
import type { Row } from './types.ts';

/**
 * The planted rows with a three-class target `tier` (a planted score in three bands) and three
 * rows of a rare fourth class, which must be pooled into `__other__`.
 */
function tiered(n: number): Row[] {
  return plantedRows(n).map((row, i) => {
    const score = (row['x1'] as number) + (row['color'] === 'a' ? 1 : 0);
    const tier = i % 400 === 7 ? 'rare' : score < -0.3 ? 'low' : score < 0.7 ? 'mid' : 'high';
    return { ...row, tier };
  });
}

const ROWS = tiered(1200);
const REQUEST: TrainRequest = { rows: ROWS, features: PLANTED_FEATURES, target: { name: 'tier', kind: 'multiclass' }, kind: 'logistic_regression', seed: 5, hyperparameters: { epochs: 12 } };
let result: TrainResult;

beforeAll(async () => {
  await initBackend();
  result = await train(REQUEST);
});

function multiclass(r: TrainResult): MulticlassMetrics {
  if (r.metrics.task !== 'multiclass') throw new Error('expected multiclass metrics');
  return r.metrics;
}

describe('train: multiclass', () => {
  it('learns a planted three-class signal with a softmax output; rare values pooled into __other__', () => {
    const m = multiclass(result);
    expect(m.classes).toEqual(['high', 'low', 'mid', '__other__']);
    expect(m.pooled).toEqual(['rare']);
    expect(result.model.architecture.layers).toEqual([{ units: 4, activation: 'softmax' }]);
    expect(m.confusion).toHaveLength(4);
    expect(m.confusion.every((row) => row.length === 4)).toBe(true);
    expect(m.confusion.flat().reduce((a, b) => a + b, 0)).toBe(m.n);
    expect(m.n).toBe(result.rowCounts.test);
    expect(m.perClass.map((c) => c.label)).toEqual(m.classes);
    expect(m.accuracy).toBeGreaterThan(m.baselineAccuracy + 0.2);
    expect(m.macro.f1).toBeGreaterThan(0.45);
    expect(m.weighted.f1).toBeGreaterThan(0.6);
    expect(m.logLoss).toBeLessThan(m.baselineLogLoss);
    expect(m.rocAucMacro).toBeGreaterThan(0.8);
    expect(result.history.at(-1)!.valMetric).toBeGreaterThan(0.8); // validation one-vs-rest macro AUC
  });

  it('round-trips through JSON: the class list is kept, predictions give the class and per-class probabilities', async () => {
    const stored = JSON.parse(JSON.stringify(result.model)) as typeof result.model;
    const predictor = await loadModel(stored);
    expect(predictor.task).toBe('multiclass');
    expect(predictor.classes).toEqual(['high', 'low', 'mid', '__other__']);
    const input = ROWS.slice(0, 50).map(({ tier: _t, label: _l, amount: _a, ...features }) => features);
    const { predictions } = predictor.predict(input);
    for (const p of predictions) {
      const probs = Object.values(p.probabilities!);
      expect(Object.keys(p.probabilities!)).toEqual(predictor.classes);
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(p.probabilities![String(p.label)]).toBe(maxOf(probs));
      expect(p.probability).toBeUndefined();
    }
    // The plain forward pass that serves matches the backend's.
    const weights = deserializeWeights(stored.architecture, stored.weights);
    const { encode } = await import('./encoder.ts');
    const { matrix } = encode(stored.encoder, input);
    const plain = forward(stored.architecture, weights, matrix, input.length);
    const onBackend = forwardOnBackend(await loadTf(), stored.architecture, weights, matrix, input.length);
    for (let i = 0; i < plain.length; i++) expect(plain[i]).toBeCloseTo(onBackend[i]!, 5);
  });

  it('refuses a multiclass model whose output layer does not match its classes, and a version-1 multiclass file', () => {
    const layers = result.model.architecture.layers;
    const bad = { ...result.model, architecture: { ...result.model.architecture, layers: [{ ...layers[0]!, units: 3 }] } };
    expect(() => parseModel(bad)).toThrow(/output layer does not match its target/);
    expect(() => parseModel({ ...result.model, version: 1 })).toThrow(/output layer does not match its target/);
  });

  it('balances k classes: class weights, oversampling to the largest class, undersampling to the smallest', async () => {
    const counts = (r: TrainResult) => r.rowCounts;
    const over = await train({ ...REQUEST, imbalance: 'oversample', hyperparameters: { epochs: 2 } });
    const under = await train({ ...REQUEST, imbalance: 'undersample', hyperparameters: { epochs: 2 } });
    const weighted = await train({ ...REQUEST, imbalance: 'class_weights', hyperparameters: { epochs: 2 } });
    const shares = (result.model.encoder.target as { shares?: number[] }).shares!;
    const trainRows = counts(result).train;
    const classCounts = shares.map((s) => Math.round(s * trainRows));
    expect(counts(over).trainFitted).toBe(4 * maxOf(classCounts));
    expect(counts(under).trainFitted).toBe(4 * minOf(classCounts));
    expect(counts(weighted).trainFitted).toBe(trainRows);
    expect(multiclass(weighted).macro.recall).toBeGreaterThan(0);
  });

  it('an MLP classifier trains a multiclass target too', async () => {
    const mlp = await train({ ...REQUEST, kind: 'mlp_classifier', hyperparameters: { epochs: 6, hiddenUnits: [8] } });
    expect(mlp.model.architecture.layers.at(-1)).toEqual({ units: 4, activation: 'softmax' });
    expect(multiclass(mlp).accuracy).toBeGreaterThan(multiclass(mlp).baselineAccuracy);
  });

  it('caps the classes with a clear error, and needs two of them', async () => {
    const many = plantedRows(1200).map((row, i) => ({ ...row, code: `c${i % 60}` }));
    const error = await train({ ...REQUEST, rows: many, target: { name: 'code', kind: 'multiclass' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirlockError);
    expect((error as AirlockError).code).toBe('BAD_REQUEST');
    expect((error as AirlockError).message).toMatch(/target "code" has 60 classes in the training split; a multiclass target may have at most 50: derive coarser classes/);
    const one = plantedRows(200).map((row) => ({ ...row, only: 'y' }));
    await expect(train({ ...REQUEST, rows: one, target: { name: 'only', kind: 'multiclass' } })).rejects.toThrow(/target "only" has 1 distinct value\(s\) in the training split, which make 1 class .*; a classifier needs two or more classes/);
    // Three rows of a rare value join no class of their own but "__other__": two classes, trainable.
    const pooled = plantedRows(200).map((row, i) => ({ ...row, only: i < 3 ? 'x' : 'y' }));
    expect(multiclass(await train({ ...REQUEST, rows: pooled, target: { name: 'only', kind: 'multiclass' }, hyperparameters: { epochs: 1 } })).classes).toEqual(['y', '__other__']);
  });
});

describe('train: multiclass on UCI Adult', () => {
  // Adult as stored has no `relationship`; marital status is its nearest multi-class column, and
  // race barely depends on the other columns (a model cannot beat the class mix on 600 rows).
  it('predicts marital status from a few hundred rows in a few epochs, beating the class mix', async () => {
    const rows = readAdultRows().slice(0, 600);
    const adult = await train({
      rows,
      features: [
        { name: 'age', kind: 'numeric' },
        { name: 'sex', kind: 'categorical' },
        { name: 'occupation', kind: 'categorical' },
        { name: 'salary-class', kind: 'categorical' },
      ],
      target: { name: 'marital-status', kind: 'multiclass' },
      kind: 'logistic_regression',
      seed: 3,
      hyperparameters: { epochs: 8, learningRate: 0.05 },
    });
    const m = multiclass(adult);
    expect(m.classes).toEqual(expect.arrayContaining(['Divorced', 'Married-civ-spouse', 'Never-married']));
    expect(m.confusion).toHaveLength(m.classes.length);
    expect(m.logLoss).toBeLessThan(m.baselineLogLoss);
    expect(m.accuracy).toBeGreaterThan(m.baselineAccuracy + 0.05);
  });
});
