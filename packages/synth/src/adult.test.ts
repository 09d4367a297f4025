import { ADULT_CSV, readAdultRows } from '@airlock/testing';
import { describe, expect, it } from 'vitest';
import { splitRows, synthesize } from './pipeline.ts';
import type { SynthesisResult } from './pipeline.ts';
import type { SynthColumn, SynthRow, SynthTable } from './types.ts';

/*
 * The acceptance test: UCI Adult (30,162 rows, 9 columns, `;`-separated, no quoted fields; age is
 * an integer, the rest categorical, label salary-class). Targets: quality ≥ 0.97; TSTR ROC AUC
 * within 0.02 of train-on-real and F1 within 0.05; the release gate passes with the defaults.
 * The file is the public copy kept in the repository (packages/testing/data/adult.csv).
 */
const ADULT = ADULT_CSV;

function readAdult(path: string): SynthTable {
  const rows = readAdultRows(path) as SynthRow[];
  const columns: SynthColumn[] = Object.keys(rows[0]!).map((name) => ({ name, kind: name === 'age' ? 'integer' : 'categorical' }));
  return { columns, rows };
}

describe('synthesize on UCI Adult', () => {
  const table = readAdult(ADULT);
  const minCategoryCount = 11;
  let result: SynthesisResult;

  it('runs the pipeline', () => {
    expect(table.rows.length).toBe(30_162);
    result = synthesize(table, { rows: 24_130, seed: 2024, label: 'salary-class', minCategoryCount });
    expect(result.rows).toHaveLength(24_130);
  });

  it('reaches quality ≥ 0.97', () => {
    const { quality } = result.reports;
    expect(quality.columnShapes.score).toBeGreaterThan(0.98);
    expect(quality.columnPairTrends.score).toBeGreaterThan(0.95);
    expect(quality.overall).toBeGreaterThanOrEqual(0.97);
  });

  it('keeps TSTR within 0.02 ROC AUC and 0.05 F1 of train-on-real', () => {
    const utility = result.reports.utility!;
    expect(utility.positiveClass).toBe('>50K');
    expect(utility.realTrained.rocAuc).toBeGreaterThan(0.85);
    expect(Math.abs(utility.gaps.rocAuc)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(utility.gaps.f1)).toBeLessThanOrEqual(0.05);
  });

  it('passes the release gate with the default thresholds', () => {
    const { privacy } = result.reports;
    expect(privacy.exactMatch.ratio).toBeLessThanOrEqual(1.15);
    expect(privacy.dcr.closerToTrainShare).toBeLessThanOrEqual(0.55);
    expect(result.decision).toEqual({ kind: 'publish' });
  });

  it('keeps no category rarer than minCategoryCount in the model', () => {
    // The same split synthesize made: the model saw only the training part.
    const { train } = splitRows(table, 'salary-class', 0.2, 2024);
    const json = JSON.stringify(result.model);
    let rare = 0;
    for (const column of table.columns) {
      if (column.kind !== 'categorical') continue;
      const counts = new Map<string, number>();
      for (const row of train) counts.set(String(row[column.name]), (counts.get(String(row[column.name])) ?? 0) + 1);
      for (const [value, count] of counts) {
        if (count >= minCategoryCount) continue;
        rare++;
        expect(json).not.toContain(JSON.stringify(value));
      }
    }
    expect(rare).toBeGreaterThan(0); // e.g. native-country Holand-Netherlands
    expect(json).toContain('__other__');
  });
});
