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
      // diagnosis declares no values: its groups come from partition selection.
      declaredValues: new Map([
        ['ward', ['cardiology', 'general_medicine', 'surgery', 'orthopedics', 'oncology', 'icu', 'maternity', 'psychiatry']],
        ['sex', ['F', 'M']],
      ]),
      measures: [
        { column: 'length_of_stay', min: 0, max: 60 },
        { column: 'cost', min: 0, max: 100000 },
      ],
      dateColumns: ['admitted_at', 'discharged_at'],
      maxRowsPerSubject: 6,
      privacy: { budgetRho: 0.4, period: 'month', queryRho: 0.1, delta: 1e-7 },
      exact: false,
    });
  });

  it('gives exact aggregates to stewards of the restricted zone only', () => {
    expect(aggregateRules(set, ['steward'], 'admissions')).toMatchObject({ kind: 'allow', exact: true });
    expect(aggregateRules(set, ['analyst', 'steward'], 'admissions')).toMatchObject({ kind: 'allow', exact: true });
    expect(aggregateRules(set, ['analyst'], 'admissions')).toMatchObject({ kind: 'allow', exact: false });
    expect(aggregateRules(set, ['analyst', 'ml'], 'admissions')).toMatchObject({ kind: 'allow', exact: false });
  });

  it('gives the adult rules, with no date columns or measures', () => {
    expect(aggregateRules(set, ['analyst'], 'adult')).toEqual({
      kind: 'allow',
      minCount: 11,
      finestDateGrain: 'year',
      dimensions: ['sex', 'race', 'education', 'workclass', 'salary-class'],
      // adult declares no values: every group comes from partition selection.
      declaredValues: new Map(),
      measures: [],
      dateColumns: [],
      maxRowsPerSubject: 1,
      privacy: { budgetRho: 0.25, period: 'month', queryRho: 0.05, delta: 1e-7 },
      exact: false,
    });
    expect(aggregateRules(set, ['steward'], 'adult').kind).toBe('deny');
  });

  it('denies an unknown dataset', () => {
    expect(aggregateRules(set, ['analyst'], 'nope')).toEqual({ kind: 'deny', reason: 'no dataset "nope"' });
  });
});
