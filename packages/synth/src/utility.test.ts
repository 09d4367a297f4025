import { createRng } from '@airlock/core';
import { rocAuc } from '@airlock/metrics';
import { describe, expect, it } from 'vitest';
import { fitLogistic, predictLogistic } from './logistic.ts';
import { splitRows } from './pipeline.ts';
import { patientTable } from './test-tables.ts';
import type { SynthColumn, SynthRow } from './types.ts';
import { utilityReport } from './utility.ts';
import { readColumn } from './values.ts';

describe('fitLogistic', () => {
  it('recovers known weights from a numeric and a categorical feature', () => {
    const rng = createRng(1);
    const rows: SynthRow[] = [];
    for (let i = 0; i < 20_000; i++) {
      const x = rng.normal();
      const group = rng.next() < 0.5 ? 'a' : 'b';
      const z = -0.5 + 1.5 * x + (group === 'b' ? 1 : 0);
      rows.push({ x, group, y: rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0 });
    }
    const columns: SynthColumn[] = [
      { name: 'x', kind: 'numeric' },
      { name: 'group', kind: 'categorical' },
    ];
    const features = columns.map((column) => readColumn(rows, column));
    const targets = Uint8Array.from(rows, (row) => Number(row.y));
    const model = fitLogistic(features, targets);
    // Probabilities at known points match the generating model.
    const probe = columns.map((column) => readColumn([{ x: 0, group: 'a' }, { x: 1, group: 'b' }, { x: null, group: 'never-seen' }], column));
    const [pA, pB, pUnknown] = predictLogistic(model, probe);
    expect(pA).toBeCloseTo(1 / (1 + Math.exp(0.5)), 1);
    expect(pB).toBeCloseTo(1 / (1 + Math.exp(-2)), 1);
    expect(pUnknown).toBeGreaterThan(0);
    expect(rocAuc(targets, predictLogistic(model, features))).toBeGreaterThan(0.8);
  });

  it('is deterministic', () => {
    const rows: SynthRow[] = Array.from({ length: 200 }, (_, i) => ({ x: i % 7, c: i % 3 === 0 ? 'p' : 'q' }));
    const columns = [readColumn(rows, { name: 'x', kind: 'integer' }), readColumn(rows, { name: 'c', kind: 'categorical' })];
    const targets = Uint8Array.from(rows, (_, i) => (i % 5 < 2 ? 1 : 0));
    expect(fitLogistic(columns, targets).weights).toEqual(fitLogistic(columns, targets).weights);
  });
});

describe('utilityReport', () => {
  const table = patientTable(3_000, 2);
  const split = splitRows(table, 'readmitted', 0.2, 1);

  it('scores training on the real training part against itself with zero gaps', () => {
    const report = utilityReport(split, split.train, table.columns, { label: 'readmitted' });
    expect(report.positiveClass).toBe('true'); // boolean label
    expect(report.rows).toEqual({ realTrain: split.train.length, synthetic: split.train.length, holdout: split.holdout.length });
    expect(report.gaps).toEqual({ accuracy: 0, f1: 0, rocAuc: 0 });
    expect(report.realTrained.rocAuc).toBeGreaterThan(0.7);
  });

  it('shows the loss of a synthetic set whose labels carry no signal', () => {
    const rng = createRng(3);
    const shuffled = split.train.map((row) => ({ ...row, readmitted: rng.next() < 0.4 }));
    const report = utilityReport(split, shuffled, table.columns, { label: 'readmitted' });
    expect(report.syntheticTrained.rocAuc).toBeLessThan(0.62);
    expect(report.gaps.rocAuc).toBeGreaterThan(0.1);
  });

  it('takes the minority class of a string label as positive', () => {
    const columns: SynthColumn[] = [
      { name: 'x', kind: 'numeric' },
      { name: 'label', kind: 'categorical' },
    ];
    const rows: SynthRow[] = Array.from({ length: 100 }, (_, i) => ({ x: i, label: i % 4 === 0 ? '>50K' : '<=50K' }));
    const report = utilityReport({ train: rows, holdout: rows }, rows, columns, { label: 'label' });
    expect(report.positiveClass).toBe('>50K');
    expect(utilityReport({ train: rows, holdout: rows }, rows, columns, { label: 'label', positiveClass: '<=50K' }).positiveClass).toBe('<=50K');
  });

  it('refuses a label that is not categorical or boolean', () => {
    expect(() => utilityReport(split, split.train, table.columns, { label: 'age' })).toThrow(/must be a categorical or boolean/);
  });
});
