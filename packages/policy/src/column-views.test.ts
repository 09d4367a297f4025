import { ZONES } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { canRead } from './access.ts';
import { allowedColumns, type ColumnView } from './column-views.ts';
import { deidentifiedType } from './deidentified-type.ts';
import type { ColumnType, DeidTransform } from './model.ts';
import { realSet } from './test-fixtures.ts';

const set = realSet();

function columns(roles: readonly string[], zone: (typeof ZONES)[number], dataset = 'admissions'): readonly ColumnView[] {
  const decision = allowedColumns(set, roles, dataset, zone);
  if (decision.kind !== 'allow') throw new Error(decision.reason);
  return decision.columns;
}

const typesOf = (views: readonly ColumnView[]): [string, ColumnType][] => views.map((v) => [v.name, v.type]);

describe('allowedColumns', () => {
  it('restricted: every column, raw', () => {
    const views = columns(['steward'], 'restricted');
    expect(views).toHaveLength(16);
    expect(views.every((v) => v.transform.kind === 'keep')).toBe(true);
    expect(views.find((v) => v.name === 'ssn')).toEqual({ name: 'ssn', type: 'string', class: 'identifier', nullable: false, transform: { kind: 'keep' } });
    expect(views.find((v) => v.name === 'birth_date')?.type).toBe('date');
  });

  it('deidentified: dropped columns left out, typed after the transform; quasi-identifiers as text (they may be banded)', () => {
    expect(typesOf(columns(['analyst'], 'deidentified'))).toEqual([
      ['admission_id', 'string'],
      ['mrn', 'string'],
      ['email', 'string'],
      ['birth_date', 'string'],
      ['sex', 'string'],
      ['zip', 'string'],
      ['admitted_at', 'string'],
      ['discharged_at', 'string'],
      ['ward', 'string'],
      ['diagnosis', 'string'],
      ['prior_admissions', 'integer'],
      ['length_of_stay', 'integer'],
      ['cost', 'number'],
      ['readmitted', 'boolean'],
    ]);
    const byName = new Map(columns(['ml'], 'deidentified').map((v) => [v.name, v]));
    expect(byName.get('birth_date')?.transform).toEqual({ kind: 'age', at: 'admitted_at', topCode: 90 });
    expect(byName.get('email')?.transform).toEqual({ kind: 'surrogate', domain: 'email' });
    expect(byName.get('admitted_at')?.class).toBe('event_date');
  });

  it('synthetic: every column not dropped, shaped like the deidentified zone (never finer), identifiers raw', () => {
    const views = columns(['public'], 'synthetic');
    expect(views.map((v) => v.name)).not.toContain('name');
    expect(views.map((v) => v.name)).not.toContain('ssn');
    expect(views).toHaveLength(14);
    // An age band, not a birth date; a generalized quasi-identifier is text.
    expect(views.find((v) => v.name === 'birth_date')).toMatchObject({ type: 'string', transform: { kind: 'age' } });
    expect(views.find((v) => v.name === 'cost')).toMatchObject({ type: 'number', transform: { kind: 'keep' } });
    expect(views.find((v) => v.name === 'mrn')).toMatchObject({ class: 'identifier', transform: { kind: 'keep' } });
  });

  it('aggregate: the dimensions, then the date columns, then the measures', () => {
    expect(typesOf(columns(['analyst'], 'aggregate'))).toEqual([
      ['ward', 'string'],
      ['diagnosis', 'string'],
      ['sex', 'string'],
      ['admitted_at', 'timestamp'],
      ['discharged_at', 'timestamp'],
      ['length_of_stay', 'integer'],
      ['cost', 'number'],
    ]);
    expect(columns(['analyst'], 'aggregate', 'adult').map((v) => v.name)).toEqual(['sex', 'race', 'education', 'workclass', 'salary-class']);
  });

  it('the adult deidentified zone keeps every column, with age clamped', () => {
    const views = columns(['ml'], 'deidentified', 'adult');
    expect(views).toHaveLength(9);
    expect(views.find((v) => v.name === 'age')).toEqual({ name: 'age', type: 'string', class: 'quasi_identifier', nullable: false, transform: { kind: 'clamp', min: undefined, max: 90 } });
  });

  it.each(['steward', 'analyst', 'ml', 'public', 'intruder'].flatMap((role) => ZONES.map((zone) => [role, zone] as const)))(
    '%s in %s: denies exactly when canRead denies',
    (role, zone) => {
      const decision = allowedColumns(set, [role], 'admissions', zone);
      const read = canRead(set, [role], 'admissions', zone);
      expect(decision.kind).toBe(read.kind);
      if (decision.kind === 'deny' && read.kind === 'deny') expect(decision.reason).toBe(read.reason);
    },
  );

  it('denies an unknown dataset', () => {
    expect(allowedColumns(set, ['steward'], 'nope', 'restricted').kind).toBe('deny');
  });

  it('returns frozen views', () => {
    const views = columns(['analyst'], 'deidentified');
    expect(Object.isFrozen(views)).toBe(true);
    expect(Object.isFrozen(views[0])).toBe(true);
  });
});

describe('deidentifiedType', () => {
  it.each<[ColumnType, DeidTransform, ColumnType | undefined]>([
    ['string', { kind: 'keep' }, 'string'],
    ['date', { kind: 'keep' }, 'date'],
    ['string', { kind: 'drop' }, undefined],
    ['integer', { kind: 'tokenize', domain: 'd', reversible: false, caseFold: true }, 'string'],
    ['string', { kind: 'surrogate', domain: 'd' }, 'string'],
    ['timestamp', { kind: 'generalize', grain: 'month' }, 'string'],
    ['date', { kind: 'shift', maxDays: 30 }, 'date'],
    ['timestamp', { kind: 'shift', maxDays: 30 }, 'timestamp'],
    ['date', { kind: 'age', at: undefined, topCode: 90 }, 'integer'],
    ['string', { kind: 'truncate', digits: 3, zip3: true }, 'string'],
    ['number', { kind: 'bucket', edges: [0, 1] }, 'string'],
    ['integer', { kind: 'clamp', min: undefined, max: 90 }, 'integer'],
    ['number', { kind: 'clamp', min: 0, max: undefined }, 'number'],
  ])('%s with %j → %s', (type, deidentified, expected) => {
    expect(deidentifiedType({ type, deidentified })).toBe(expected);
  });
});
