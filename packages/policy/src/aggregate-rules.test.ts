import { describe, expect, it } from 'vitest';
import { aggregateRules } from './aggregate-rules.ts';
import { realSet } from './test-fixtures.ts';

const set = realSet();

describe('aggregateRules', () => {
  it.each([
    ['steward', true],
    ['analyst', true],
    ['ml', false],
    ['public', false],
    ['intruder', false],
  ])('admissions for %s → allowed %s', (role, allowed) => {
    expect(aggregateRules(set, [role], 'admissions').kind).toBe(allowed ? 'allow' : 'deny');
  });

  it('gives the admissions rules', () => {
    expect(aggregateRules(set, ['analyst'], 'admissions')).toEqual({
      kind: 'allow',
      minCount: 11,
      finestDateGrain: 'week',
      dimensions: ['ward', 'diagnosis', 'sex'],
      measures: ['length_of_stay', 'cost'],
      dateColumns: ['admitted_at', 'discharged_at'],
    });
  });

  it('gives the adult rules, with no date columns or measures', () => {
    expect(aggregateRules(set, ['analyst'], 'adult')).toEqual({
      kind: 'allow',
      minCount: 11,
      finestDateGrain: 'year',
      dimensions: ['sex', 'race', 'education', 'workclass', 'salary-class'],
      measures: [],
      dateColumns: [],
    });
    expect(aggregateRules(set, ['steward'], 'adult').kind).toBe('deny');
  });

  it('denies an unknown dataset', () => {
    expect(aggregateRules(set, ['analyst'], 'nope')).toEqual({ kind: 'deny', reason: 'no dataset "nope"' });
  });
});
