import { beforeAll, describe, expect, it } from 'vitest';
import { PLANTED_FEATURES, plantedRows } from './fixtures.ts';
import { loadModel, predictionLatency, type Predictor } from './predict.ts';
import { train, type TrainResult } from './train.ts';

let result: TrainResult;
let predictor: Predictor;
const row = { x1: 0.3, x2: -1, color: 'a', member: true, visit: '2021-Q2' };

beforeAll(async () => {
  result = await train({
    rows: plantedRows(600),
    features: PLANTED_FEATURES,
    target: { name: 'label', kind: 'binary' },
    kind: 'mlp_classifier',
    seed: 1,
    hyperparameters: { epochs: 3 },
  });
  predictor = await loadModel(result.model);
});

describe('Predictor', () => {
  it('describes the model and returns a probability and a label per row', () => {
    expect(predictor.kind).toBe('mlp_classifier');
    expect(predictor.task).toBe('classification');
    expect(predictor.features.map((f) => f.name)).toEqual(['x1', 'x2', 'color', 'member', 'visit']);
    const { predictions } = predictor.predict([row, { ...row, x1: null, color: 'never-seen', visit: null }]);
    expect(predictions).toHaveLength(2);
    for (const p of predictions) {
      expect(p.probability).toBeGreaterThan(0);
      expect(p.probability).toBeLessThan(1);
      expect(p.label).toBe(p.probability! >= 0.5);
    }
    expect(predictor.predict([]).predictions).toEqual([]);
  });

  it('names unknown and missing features, and every known one', () => {
    const { x1: _x1, ...withoutX1 } = row;
    expect(() => predictor.predict([row, { ...withoutX1, X1: 0.3 }])).toThrow(
      expect.objectContaining({
        code: 'BAD_REQUEST',
        message: 'row 1: unknown feature "X1"; missing feature "x1"; known: x1, x2, color, member, visit',
        details: { row: 1, unknown: ['X1'], missing: ['x1'] },
      }),
    );
    expect(() => predictor.predict([{ color: 'a' }])).toThrow(/missing features "x1", "x2", "member", "visit"/);
    // Extra columns pass when the caller says so (e.g. scoring labelled rows).
    expect(predictor.predict([{ ...row, label: true }], { strict: false }).predictions).toHaveLength(1);
    expect(() => predictor.predict([{ ...row, x1: 'abc' }])).toThrow(/feature "x1" \(numeric\) in row 0/);
    expect(() => predictor.predict([null as never])).toThrow(/row 0 is not an object/);
  });

  it('applies a threshold override', async () => {
    const strict = await loadModel(result.model, { threshold: 1 });
    expect(strict.predict([row]).predictions[0]!.label).toBe(false);
    await expect(loadModel(result.model, { threshold: 2 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('refuses what is not a model of this version, or whose weights were altered', async () => {
    await expect(loadModel('{"format":"something-else"}')).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('not an Airlock model') });
    await expect(loadModel('not json')).rejects.toMatchObject({ message: 'model is not valid JSON' });
    await expect(loadModel({ ...result.model, version: 3 as 2 })).rejects.toMatchObject({ message: expect.stringContaining('model version 3 is not supported (this build reads versions 1 and 2)') });
    // A binary model stored before multiclass models existed (version 1) still loads.
    expect((await loadModel({ ...result.model, version: 1 })).task).toBe('classification');
    const weights = result.model.weights.map((w, i) => (i === 0 ? { ...w, base64: w.base64.slice(0, 8) } : w));
    await expect(loadModel({ ...result.model, weights })).rejects.toMatchObject({ message: expect.stringContaining('weight tensor "dense_0/kernel" holds') });
    const encoder = { ...result.model.encoder, columns: result.model.encoder.columns.slice(1) };
    await expect(loadModel({ ...result.model, encoder })).rejects.toMatchObject({ message: expect.stringContaining('encoder columns do not match') });
  });

  it('predicts a single row in well under 5 ms at p99', () => {
    const latency = predictionLatency(predictor, row, 2000);
    expect(latency.n).toBe(2000);
    expect(latency.p50).toBeLessThanOrEqual(latency.p99);
    // Generous: the machine is shared; measured p99 is about 0.05 ms.
    expect(latency.p99).toBeLessThan(5);
  });
});
