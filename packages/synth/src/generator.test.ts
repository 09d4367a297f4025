import { isAirlockError, maxOf, minOf } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { fitGenerator, sampleRows } from './generator.ts';
import { OTHER_CATEGORY, OTHER_VALUE } from './model.ts';
import { qualityReport } from './quality.ts';
import { patientTable } from './test-tables.ts';
import type { SynthTable } from './types.ts';

const table = patientTable(2_000);
const identifierNames = table.columns.filter((column) => column.kind === 'identifier').map((column) => column.name);
const realIdentifiers = new Set(table.rows.flatMap((row) => identifierNames.map((name) => String(row[name]))));
const options = { seed: 11, minCategoryCount: 5, label: 'readmitted' };
const model = fitGenerator(table, options);
const json = JSON.stringify(model);
const synthetic = sampleRows(model, 3_000, 5);

describe('fitGenerator', () => {
  it('keeps no real identifier value in the serialized model', () => {
    for (const value of realIdentifiers) expect(json.includes(value)).toBe(false);
    // Patterns of the real identifiers, not just the exact values.
    expect(json).not.toMatch(/tk1_|Realperson|hospital\.example|MRN\d|V-\d|123-45-/);
  });

  it('folds categories rarer than minCategoryCount', () => {
    expect(json).not.toMatch(/rare-ward/);
    const ward = model.columns.find((column) => column.name === 'ward');
    expect(ward).toMatchObject({ kind: 'categorical', foldedValues: 40 });
    expect(ward?.kind === 'categorical' && ward.states).toEqual(['cardio', 'ortho', 'neuro', OTHER_CATEGORY]);
    expect(synthetic.some((row) => row.ward === OTHER_VALUE)).toBe(true);
    expect(synthetic.every((row) => row.ward === OTHER_VALUE || ['cardio', 'ortho', 'neuro'].includes(String(row.ward)))).toBe(true);
  });

  it('is plain JSON: a parsed copy samples the same rows', () => {
    const copy = JSON.parse(json) as typeof model;
    expect(sampleRows(copy, 200, 9)).toEqual(sampleRows(model, 200, 9));
  });

  it('is deterministic: same seed and data give the same model and rows', () => {
    expect(JSON.stringify(fitGenerator(table, options))).toBe(json);
    expect(sampleRows(model, 3_000, 5)).toEqual(synthetic);
    expect(sampleRows(model, 50, 6)).not.toEqual(sampleRows(model, 50, 5));
  });

  it('roots the network at the label and makes it a parent of every other node', () => {
    expect(model.network[0]).toMatchObject({ column: 'readmitted', parents: [] });
    for (const node of model.network.slice(1)) expect(node.parents[0]).toBe('readmitted');
    expect(model.network.map((node) => node.column).sort()).toEqual(['admitted', 'age', 'cost', 'discharged', 'readmitted', 'seen_at', 'smoker', 'ward']);
  });

  it('fits independent marginals with maxParents 0', () => {
    const independent = fitGenerator(table, { ...options, maxParents: 0 });
    for (const node of independent.network) expect(node.parents).toEqual([]);
  });

  it('refuses bad input with BAD_REQUEST', () => {
    const bad: SynthTable = { columns: [{ name: 'age', kind: 'integer' }], rows: [{ age: 'forty' }] };
    expect(() => fitGenerator(bad, { seed: 1, minCategoryCount: 1 })).toThrow(/Column "age" is integer but row 0 holds "forty"/);
    expect(() => fitGenerator(table, { seed: 1, minCategoryCount: 0 })).toThrow(/minCategoryCount/);
    try {
      fitGenerator(table, { seed: 1, minCategoryCount: 5, label: 'name' });
      expect.unreachable();
    } catch (error) {
      expect(isAirlockError(error, 'BAD_REQUEST')).toBe(true);
    }
  });
});

describe('sampleRows', () => {
  it('never emits a real identifier value', () => {
    for (const row of synthetic) for (const name of identifierNames) expect(realIdentifiers.has(String(row[name]))).toBe(false);
    expect(synthetic[0]!.patient_id).toMatch(/^syn_[0-9a-f]{24}$/);
    expect(synthetic[0]!.visit_id).toMatch(/^syn-[0-9a-f]{16}$/);
    expect(synthetic[0]!.email).toMatch(/@example\.invalid$/);
    expect(synthetic[0]!.ssn).toMatch(/^9\d\d-\d\d-\d{4}$/);
    expect(synthetic[0]!.mrn).toMatch(/^SYN\d{8}$/);
    expect(synthetic[0]!.name).toMatch(/^\S+ \S+/);
  });

  it('redraws a fake that equals a value it must avoid', () => {
    const first = sampleRows(model, 20, 3);
    const avoid = new Map([['name', new Set(first.map((row) => String(row.name)))]]);
    const again = sampleRows(model, 20, 3, { avoid });
    for (const row of again) expect(avoid.get('name')!.has(String(row.name))).toBe(false);
  });

  it('keeps values in their kinds and within the observed bounds', () => {
    const ages = table.rows.map((row) => row.age).filter((age): age is number => typeof age === 'number');
    const [minAge, maxAge] = [minOf(ages), maxOf(ages)];
    const days = table.rows.map((row) => String(row.admitted)).sort();
    for (const row of synthetic) {
      if (row.age !== null) {
        expect(Number.isInteger(row.age)).toBe(true);
        expect(row.age).toBeGreaterThanOrEqual(minAge);
        expect(row.age).toBeLessThanOrEqual(maxAge);
      }
      expect(row.admitted).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(String(row.admitted) >= days[0]! && String(row.admitted) <= days[days.length - 1]!).toBe(true);
      expect(new Date(String(row.seen_at)).toISOString().replace('.000Z', 'Z')).toBe(row.seen_at);
      expect(typeof row.smoker).toBe('boolean');
      expect(typeof row.cost).toBe('number');
    }
  });

  it('keeps the order of dates that are never earlier than another', () => {
    expect(model.columns.find((column) => column.name === 'discharged')).toMatchObject({ kind: 'date', offsetFrom: 'admitted' });
    expect(model.columns.find((column) => column.name === 'admitted')).toMatchObject({ offsetFrom: null });
    for (const row of synthetic) if (row.discharged !== null && row.admitted !== null) expect(String(row.discharged) >= String(row.admitted)).toBe(true);
    expect(synthetic.filter((row) => row.discharged === null).length).toBeGreaterThan(30); // ~3% of 3,000
  });

  it('rounds to the resolution of the real values', () => {
    expect(model.columns.find((column) => column.name === 'cost')).toMatchObject({ step: 0.01 });
    expect(model.columns.find((column) => column.name === 'seen_at')).toMatchObject({ step: 1000 });
    for (const row of synthetic.slice(0, 200)) {
      expect(String(row.cost)).toMatch(/^\d+(\.\d{1,2})?$/);
      expect(row.seen_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  it('keeps null rates', () => {
    const rate = (rows: readonly { age?: unknown }[]): number => rows.filter((row) => row.age === null).length / rows.length;
    expect(Math.abs(rate(synthetic) - rate(table.rows))).toBeLessThan(0.02);
  });

  it('keeps marginals and dependence', () => {
    const report = qualityReport(table.rows, synthetic, table.columns);
    expect(report.columnShapes.score).toBeGreaterThan(0.95);
    expect(report.columnPairTrends.score).toBeGreaterThan(0.9);
    // cost depends on age and ward: the network keeps the age–cost correlation.
    const pair = report.columnPairTrends.pairs.find((p) => p.columns[0] === 'age' && p.columns[1] === 'cost');
    expect(pair?.realCorrelation).toBeGreaterThan(0.7);
    expect(pair?.syntheticCorrelation).toBeGreaterThan(0.6);
    expect(pair?.score).toBeGreaterThan(0.95);
  });
});
