import { describe, expect, it } from 'vitest';
import { encode, encodeTarget, fitEncoder, type Encoder } from './encoder.ts';
import type { FeatureSpec, Row } from './types.ts';
import { readDate } from './values.ts';

const FEATURES: FeatureSpec[] = [
  { name: 'age', kind: 'numeric' },
  { name: 'color', kind: 'categorical' },
  { name: 'member', kind: 'boolean' },
  { name: 'seen', kind: 'date' },
];
const TRAIN: Row[] = [
  { age: 20, color: 'red', member: true, seen: '2020-01-15', y: 'yes' },
  { age: 30, color: 'red', member: false, seen: '2021-07', y: 'no' },
  { age: '40', color: 'blue', member: null, seen: '2022-Q4', y: 'no' },
  { age: null, color: null, member: 't', seen: '2023', y: 'yes' },
];
const spec = { features: FEATURES, target: { name: 'y', kind: 'binary' as const, positive: 'yes' } };

/** One encoded row as { column: value }, for readable assertions. */
function encodedRow(encoder: Encoder, row: Row): Record<string, number> {
  const { matrix, columns } = encode(encoder, [row]);
  return Object.fromEntries(columns.map((c, i) => [c, matrix[i]!]));
}

describe('fitEncoder / encode', () => {
  const encoder = fitEncoder(TRAIN, spec);

  it('lays out columns per feature kind', () => {
    expect(encoder.columns).toEqual([
      'age',
      'age__is_null',
      'color=red',
      'color=blue',
      'color=__unknown__',
      'member',
      'member__is_null',
      'seen__year',
      'seen__month_sin',
      'seen__month_cos',
      'seen__is_null',
    ]);
  });

  it('standardizes with training statistics only, by hand', () => {
    // Training ages 20, 30, 40 (the null is left out): mean 30, population std √(200/3).
    expect(encoder.features[0]).toEqual({ name: 'age', kind: 'numeric', mean: 30, std: Math.sqrt(200 / 3) });
    // Training years 2020..2023: mean 2021.5, std √1.25.
    expect(encoder.features[3]).toEqual({ name: 'seen', kind: 'date', yearMean: 2021.5, yearStd: Math.sqrt(1.25) });
    // A test row far outside the training range is scaled by the training statistics, not its own.
    const row = encodedRow(encoder, { age: 50, color: 'green', member: false, seen: '2025-04-30' });
    expect(row['age']).toBeCloseTo(20 / Math.sqrt(200 / 3), 6); // 2.449490
    expect(row['age__is_null']).toBe(0);
    expect(row['seen__year']).toBeCloseTo(3.5 / Math.sqrt(1.25), 6); // 3.130495
    expect(row['seen__month_sin']).toBeCloseTo(1, 6); // April: a quarter turn
    expect(row['seen__month_cos']).toBeCloseTo(0, 6);
  });

  it('sends a category seen only outside training, and nulls, to __unknown__', () => {
    const green = encodedRow(encoder, { age: 30, color: 'green', member: true, seen: null });
    expect([green['color=red'], green['color=blue'], green['color=__unknown__']]).toEqual([0, 0, 1]);
    const none = encodedRow(encoder, { age: 30, color: null, member: true, seen: null });
    expect(none['color=__unknown__']).toBe(1);
    const red = encodedRow(encoder, { age: 30, color: 'red', member: true, seen: null });
    expect([red['color=red'], red['color=blue'], red['color=__unknown__']]).toEqual([1, 0, 0]);
  });

  it('encodes nulls as 0 plus an indicator, booleans as 0/1, months on a circle', () => {
    const row = encodedRow(encoder, { age: null, color: 'red', member: null, seen: null });
    expect([row['age'], row['age__is_null'], row['member'], row['member__is_null']]).toEqual([0, 1, 0, 1]);
    expect([row['seen__year'], row['seen__month_sin'], row['seen__month_cos'], row['seen__is_null']]).toEqual([0, 0, 0, 1]);
    const july = encodedRow(encoder, { age: 30, color: 'red', member: 'yes', seen: '2021-07' });
    expect(july['member']).toBe(1);
    expect(july['seen__month_sin']).toBeCloseTo(0, 6); // July: half a turn from January
    expect(july['seen__month_cos']).toBeCloseTo(-1, 6);
    const yearOnly = encodedRow(encoder, { age: 30, color: 'red', member: false, seen: '2021' });
    expect([yearOnly['seen__month_sin'], yearOnly['seen__month_cos'], yearOnly['seen__is_null']]).toEqual([0, 0, 0]);
  });

  it('keeps the top N categories by frequency', () => {
    const narrow = fitEncoder(TRAIN, { ...spec, features: [{ name: 'color', kind: 'categorical', topN: 1 }] });
    expect(narrow.columns).toEqual(['color=red', 'color=__unknown__']);
  });

  it('is plain JSON that encodes the same after a round trip', () => {
    const copy = JSON.parse(JSON.stringify(encoder)) as Encoder;
    const rows = [{ age: 33, color: 'blue', member: true, seen: '2020-W53' }];
    expect(encode(copy, rows).matrix).toEqual(encode(encoder, rows).matrix);
    expect(copy.version).toBe(1);
  });

  it('encodes the target', () => {
    expect(Array.from(encodeTarget(encoder, TRAIN))).toEqual([1, 0, 0, 1]);
    const booleans = fitEncoder([{ a: 1, t: true }, { a: 2, t: false }], { features: [{ name: 'a', kind: 'numeric' }], target: { name: 't', kind: 'binary' } });
    expect(booleans.target).toMatchObject({ positive: true, negative: false, positiveRate: 0.5 });
    const numeric = fitEncoder([{ a: 1, t: '2.5' }, { a: 2, t: 3.5 }], { features: [{ name: 'a', kind: 'numeric' }], target: { name: 't', kind: 'numeric' } });
    expect(numeric.target).toEqual({ name: 't', kind: 'numeric', mean: 3, std: 0.5 });
    expect(Array.from(encodeTarget(numeric, [{ t: 7 }]))).toEqual([7]);
  });
});

describe('encoder errors', () => {
  const badRequest = (message: RegExp) => expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringMatching(message) });

  it('names an unknown feature and the columns there are', () => {
    expect(() => fitEncoder(TRAIN, { ...spec, features: [{ name: 'agee', kind: 'numeric' }] })).toThrow(badRequest(/^unknown feature "agee"; known: age, color, member, seen, y$/));
    expect(() => fitEncoder(TRAIN, { ...spec, target: { name: 'outcome', kind: 'binary' } })).toThrow(badRequest(/unknown target "outcome"/));
  });

  it('names a feature missing from a row, at fit and at encode time', () => {
    const rows = [...TRAIN, { color: 'red', member: true, seen: '2020', y: 'no' }];
    expect(() => fitEncoder(rows, spec)).toThrow(badRequest(/row 4: missing feature "age"/));
    const encoder = fitEncoder(TRAIN, spec);
    expect(() => encode(encoder, [{ agee: 3, color: 'red', member: true, seen: '2020' }], { strict: true })).toThrow(
      badRequest(/row 0: unknown feature "agee"; missing feature "age"; known: age, color, member, seen/),
    );
  });

  it('names the feature of an unreadable value without echoing it', () => {
    const rows = [...TRAIN.slice(0, 3), { ...TRAIN[3], age: 'secret-value' }];
    let message = '';
    try {
      fitEncoder(rows, spec);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/feature "age" \(numeric\) in row 3 is a string of 12 characters/);
    expect(message).not.toContain('secret-value');
    expect(() => fitEncoder([{ ...TRAIN[0], seen: '2021-W53' }, TRAIN[1]!], spec)).toThrow(badRequest(/feature "seen" \(date\)/));
    expect(() => fitEncoder([{ ...TRAIN[0], member: 'maybe' }, TRAIN[1]!], spec)).toThrow(badRequest(/feature "member" \(boolean\)/));
  });

  it('refuses invalid targets', () => {
    expect(() => fitEncoder([...TRAIN, { ...TRAIN[0], y: null }], spec)).toThrow(badRequest(/target "y" is null in row 4/));
    expect(() => fitEncoder([...TRAIN, { ...TRAIN[0], y: 'maybe' }], spec)).toThrow(badRequest(/target "y" has 3 distinct values/));
    expect(() => fitEncoder(TRAIN, { ...spec, target: { name: 'y', kind: 'binary', positive: 'Yes' } })).toThrow(badRequest(/never takes the positive value "Yes"/));
    expect(() => fitEncoder(TRAIN, { ...spec, target: { name: 'y', kind: 'binary' } })).toThrow(badRequest(/say which is the positive class with target.positive/));
    expect(() => fitEncoder(TRAIN.slice(1, 3), spec)).toThrow(badRequest(/never takes the positive value/));
    expect(() => fitEncoder(TRAIN, { ...spec, target: { name: 'y', kind: 'numeric' } })).toThrow(badRequest(/target "y" in row 0 is a string/));
    expect(() => fitEncoder(TRAIN, { ...spec, features: [...FEATURES, { name: 'y', kind: 'categorical' }] })).toThrow(badRequest(/both the target and a feature/));
    const encoder = fitEncoder(TRAIN, spec);
    expect(() => encodeTarget(encoder, [{ y: 'perhaps' }])).toThrow(badRequest(/row 0 is neither the positive class "yes" nor the negative class "no"/));
  });
});

describe('readDate', () => {
  it('reads every supported form', () => {
    expect(readDate('2021-03-04')).toEqual({ year: 2021, month: 3 });
    expect(readDate('2021-03-04T23:30:00-05:00')).toEqual({ year: 2021, month: 3 });
    expect(readDate('2021-03-04 10:00:00+00')).toEqual({ year: 2021, month: 3 });
    expect(readDate(new Date(Date.UTC(2019, 11, 31)))).toEqual({ year: 2019, month: 12 });
    expect(readDate('2021-11')).toEqual({ year: 2021, month: 11 });
    expect(readDate('2021-Q1')).toEqual({ year: 2021, month: 2 });
    expect(readDate('2020-W01')).toEqual({ year: 2020, month: 1 }); // Thursday 2 January 2020
    expect(readDate('2020-W53')).toEqual({ year: 2020, month: 12 }); // Thursday 31 December 2020
    expect(readDate('2021')).toEqual({ year: 2021, month: null });
    expect(readDate(null)).toBeNull();
    for (const bad of ['2021-13', '2021-W53', '2021-Q5', 'yesterday', 20210304]) expect(readDate(bad)).toBeUndefined();
  });
});
