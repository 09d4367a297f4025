import { describe, expect, it } from 'vitest';
import { checkComparable } from './analysis.ts';
import type { ModelRecord } from './registry.repository.ts';

const model = (overrides: Partial<ModelRecord> & { card?: Record<string, unknown> }): ModelRecord => ({
  id: 1,
  name: 'm',
  version: 1,
  dataset: 'admissions',
  zone: 'deidentified',
  kind: 'logistic_regression',
  target: 'readmitted',
  features: ['age'],
  metrics: {},
  createdBy: 'x',
  createdAt: new Date(0),
  aliases: [],
  ...overrides,
  card: { target: { kind: 'binary' }, dataSnapshotSha256: 'a', seed: 1, ...overrides.card },
});
const evaluated = { evaluation: { zone: 'deidentified', rows: 900 } };

describe('checkComparable', () => {
  it('compares models of any zones on the evaluation hold-out both were scored on', () => {
    const a = model({ zone: 'synthetic', card: { ...evaluated, dataSnapshotSha256: 'x', seed: 5 } });
    const b = model({ card: evaluated });
    expect(checkComparable(a, b)).toEqual({ kind: 'evaluation-hold-out', zone: 'deidentified' });
  });

  it('falls back to the shared test split, and refuses a pair with neither', () => {
    expect(checkComparable(model({}), model({}))).toEqual({ kind: 'test-split' });
    expect(() => checkComparable(model({ zone: 'synthetic' }), model({}))).toThrow(/training\.evaluation_zone/);
    expect(() => checkComparable(model({ zone: 'synthetic', card: { ...evaluated, evaluation: { zone: 'deidentified', rows: 0 } } }), model({ card: evaluated }))).toThrow(/evaluation_zone/);
  });

  it('refuses another target or dataset, and regressors', () => {
    expect(() => checkComparable(model({ card: evaluated }), model({ target: 'cost', card: evaluated }))).toThrow(/same dataset and target/);
    expect(() => checkComparable(model({ card: { ...evaluated, target: { kind: 'numeric' } } }), model({ card: evaluated }))).toThrow(/classifiers/);
  });
});
