import { createRng } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import type { Row } from '../types.ts';
import type { ScoredRows } from './scored.ts';
import { MIN_SUBGROUP_ROWS, subgroupMetrics } from './subgroups.ts';

/** 300 scored rows; the model is right 90% of the time for sex F and 60% for M; 5 rows of sex X. */
function planted(): { scored: ScoredRows; rows: Row[] } {
  const rng = createRng(5);
  const rows: Row[] = [];
  const actual: number[] = [];
  const predicted: number[] = [];
  for (let i = 0; i < 300; i++) {
    const sex = i < 5 ? 'X' : i % 2 === 0 ? 'F' : 'M';
    const y = rng.next() < 0.5 ? 1 : 0;
    const right = rng.next() < (sex === 'M' ? 0.6 : 0.9);
    rows.push({ sex, age: 20 + (i % 60), ward: null });
    actual.push(y);
    predicted.push(right === (y === 1) ? 0.8 : 0.2);
  }
  const a = Float64Array.from(actual);
  return { scored: { task: 'classification', actual: a, predicted: Float64Array.from(predicted), loss: new Float64Array(a.length), threshold: 0.5 }, rows };
}

describe('subgroupMetrics', () => {
  it('finds the group with planted worse accuracy and reports the gap, withholding small groups', () => {
    const { scored, rows } = planted();
    const [sex] = subgroupMetrics(scored, rows, ['sex']);
    expect(sex!.metric).toBe('accuracy');
    expect(sex!.groups.map((g) => g.value)).toEqual(['F', 'M']); // X has 5 rows: not named
    expect(sex!.suppressed).toBe(1);
    expect(sex!.gap!.best).toBe('F');
    expect(sex!.gap!.worst).toBe('M');
    expect(sex!.gap!.value).toBeGreaterThan(0.2);
    expect(sex!.groups.every((g) => g.support >= MIN_SUBGROUP_ROWS)).toBe(true);
  });

  it('bands a numeric attribute at quantiles with rounded edges', () => {
    const { scored, rows } = planted();
    const [age] = subgroupMetrics(scored, rows, ['age']);
    expect(age!.groups.map((g) => g.value)).toEqual(['< 35', '[35, 50)', '[50, 65)', '≥ 65']);
    expect(age!.groups.reduce((s, g) => s + g.support, 0)).toBe(300);
  });

  it('says so when an attribute is not among the rows, and reports no gap for one group', () => {
    const { scored, rows } = planted();
    const [missing, ward] = subgroupMetrics(scored, rows, ['ethnicity', 'ward']);
    expect(missing!.note).toMatch(/"ethnicity" is not in the rows/);
    expect(ward!.groups).toEqual([{ value: 'null', support: 300, metric: expect.any(Number) }]);
    expect(ward!.gap).toBeUndefined();
  });

  it('compares regressors on MAE, lower being better', () => {
    const actual = Float64Array.from({ length: 60 }, (_, i) => i);
    const predicted = actual.map((y, i) => y + (i < 30 ? 1 : 5));
    const rows = Array.from({ length: 60 }, (_, i) => ({ site: i < 30 ? 'north' : 'south' }));
    const [site] = subgroupMetrics({ task: 'regression', actual, predicted, loss: new Float64Array(60), threshold: 0.5 }, rows, ['site']);
    expect(site).toMatchObject({ metric: 'mae', gap: { value: 4, best: 'north', worst: 'south' } });
  });
});
