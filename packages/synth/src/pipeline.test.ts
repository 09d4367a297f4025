import { describe, expect, it } from 'vitest';
import { splitRows, synthesize } from './pipeline.ts';
import type { SynthPhase } from './pipeline.ts';
import { patientTable } from './test-tables.ts';

describe('synthesize', () => {
  const table = patientTable(2_500, 8);

  it('splits, fits on the training part, samples, reports and decides', () => {
    const phases: SynthPhase[] = [];
    const result = synthesize(table, { rows: 1_500, seed: 3, label: 'readmitted', minCategoryCount: 5, onProgress: (phase) => phases.push(phase) });
    expect(phases).toEqual(['split', 'fit', 'sample', 'quality', 'utility', 'privacy', 'decide']);
    expect(Object.keys(result.timings).sort()).toEqual([...phases, 'total'].sort());
    expect(result.model.trainingRows).toBe(2_000);
    expect(result.rows).toHaveLength(1_500);
    expect(result.reports.privacy.rows).toMatchObject({ train: 2_000, holdout: 500, referencePerPart: 500 });
    expect(result.reports.utility?.rows.holdout).toBe(500);
    expect(result.reports.quality.overall).toBeGreaterThan(0.9);
    expect(result.decision).toEqual({ kind: 'publish' });
    const realNames = new Set(table.rows.map((row) => row.name));
    expect(result.rows.some((row) => realNames.has(row.name!))).toBe(false);
  });

  it('is deterministic for a seed', () => {
    const options = { rows: 300, seed: 'same', label: 'readmitted', minCategoryCount: 5 };
    const a = synthesize(table, options);
    const b = synthesize(table, options);
    expect(b.rows).toEqual(a.rows);
    expect(JSON.stringify(b.model)).toBe(JSON.stringify(a.model));
    expect(b.reports).toEqual(a.reports);
  });

  it('works without a label (no utility report)', () => {
    const result = synthesize(table, { rows: 200, seed: 1, minCategoryCount: 5 });
    expect(result.reports.utility).toBeUndefined();
    expect(result.model.label).toBeNull();
  });

  it('refuses bad options', () => {
    expect(() => synthesize(table, { rows: 10, seed: 1, minCategoryCount: 5, holdoutFraction: 1 })).toThrow(/holdoutFraction/);
    expect(() => synthesize(table, { rows: 0, seed: 1, minCategoryCount: 5 })).toThrow(/rows must be a positive integer/);
  });
});

describe('splitRows', () => {
  const table = patientTable(1_000, 2);

  it('stratifies on the label', () => {
    const { train, holdout } = splitRows(table, 'readmitted', 0.2, 4);
    expect(train.length + holdout.length).toBe(1_000);
    const share = (rows: readonly { readmitted?: unknown }[]): number => rows.filter((row) => row.readmitted === true).length / rows.length;
    expect(Math.abs(share(train) - share(holdout))).toBeLessThan(0.005);
  });

  it('shuffles without a label, by seed', () => {
    const a = splitRows(table, undefined, 0.25, 4);
    expect(a.holdout).toHaveLength(250);
    expect(splitRows(table, undefined, 0.25, 4)).toEqual(a);
    expect(splitRows(table, undefined, 0.25, 5).holdout).not.toEqual(a.holdout);
  });
});
