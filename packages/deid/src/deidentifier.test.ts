import { isAirlockError } from '@airlock/core';
import type { ColumnPolicy, ColumnType, DatasetPolicy, DeidTransform } from '@airlock/policy';
import { describe, expect, it } from 'vitest';
import {
  InMemoryKeyring,
  InMemorySurrogateResolver,
  TransformError,
  createDeidentifier,
  openValue,
  shiftDate,
  tokenize,
  type DeidentifierOptions,
} from './index.ts';

let line = 0;
const column = (name: string, type: ColumnType, cls: ColumnPolicy['class'], deidentified: DeidTransform): ColumnPolicy => ({
  name,
  type,
  class: cls,
  nullable: true,
  values: undefined,
  deidentified,
  position: { file: 'policies/admissions.yaml', line: ++line, column: 3 },
});

/** Shaped like the demo admissions policy (DESIGN.md), plus one column per remaining transform. */
const admissions = (columns: ColumnPolicy[] = defaultColumns()): DatasetPolicy => ({
  kind: 'dataset',
  dataset: 'admissions',
  description: undefined,
  subject: 'patient_id',
  columns,
  zones: { restricted: { roles: ['steward'] }, deidentified: { roles: ['analyst'] }, aggregate: undefined, synthetic: undefined },
  training: { approvedZones: ['deidentified'], roles: undefined },
  source: { file: 'policies/admissions.yaml', sha256: '0'.repeat(64), content: '' },
});

const defaultColumns = (): ColumnPolicy[] => [
  column('patient_id', 'string', 'identifier', { kind: 'tokenize', domain: 'patient', reversible: true, caseFold: false }),
  column('name', 'string', 'identifier', { kind: 'drop' }),
  column('email', 'string', 'identifier', { kind: 'tokenize', domain: 'email', reversible: false, caseFold: true }),
  column('mrn', 'string', 'identifier', { kind: 'surrogate', domain: 'mrn' }),
  column('birth_date', 'date', 'quasi_identifier', { kind: 'age', at: 'admitted_at', topCode: 90 }),
  column('zip', 'string', 'quasi_identifier', { kind: 'truncate', digits: 3, zip3: true }),
  column('admitted_at', 'timestamp', 'event_date', { kind: 'generalize', grain: 'month' }),
  column('discharged_on', 'date', 'event_date', { kind: 'shift', maxDays: 30 }),
  column('diagnosis', 'string', 'sensitive', { kind: 'keep' }),
  column('length_of_stay', 'integer', 'measure', { kind: 'clamp', min: 0, max: 30 }),
  column('cost', 'number', 'measure', { kind: 'bucket', edges: [0, 1000, 10000] }),
  column('readmitted', 'boolean', 'label', { kind: 'keep' }),
];

const raw = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  patient_id: 'P-0001',
  name: 'Ann Lee',
  email: ' Ann.Lee@Example.org',
  mrn: 'MRN-77',
  birth_date: '1934-04-02',
  zip: '03601-1234',
  admitted_at: '2024-03-31T23:30:00-05:00',
  discharged_on: '2024-04-03',
  diagnosis: 'J18.9',
  length_of_stay: 45,
  cost: 1000,
  readmitted: false,
  ssn: '123-45-6789',
  ...overrides,
});

const keys = InMemoryKeyring.generate(2);
const setup = (options: DeidentifierOptions = {}) => {
  const surrogates = new InMemorySurrogateResolver();
  return { surrogates, deid: createDeidentifier(admissions(), keys, { surrogates, ...options }) };
};

describe('createDeidentifier', () => {
  it('applies every column transform, omitting dropped and undeclared columns', () => {
    const { deid } = setup();
    const { row } = deid.deidentifyRow(raw(), { subjectKey: 'P-0001' });
    expect(Object.keys(row)).toEqual([
      'patient_id', 'email', 'mrn', 'birth_date', 'zip', 'admitted_at', 'discharged_on', 'diagnosis', 'length_of_stay', 'cost', 'readmitted',
    ]);
    expect(row).toEqual({
      patient_id: tokenize(keys, { domain: 'patient', caseFold: false }, 'P-0001'),
      email: tokenize(keys, { domain: 'email', caseFold: true }, 'ann.lee@example.org'),
      mrn: expect.stringMatching(/^sg_[a-z2-7]{26}$/) as string,
      // Admitted 2024-04-01 UTC, born 1934-04-02: 89, one day short of the 90+ top code.
      birth_date: 89,
      zip: '000', // 036 is a Safe Harbor restricted ZIP3
      admitted_at: '2024-04',
      discharged_on: shiftDate(keys, 'P-0001', '2024-04-03', 30),
      diagnosis: 'J18.9',
      length_of_stay: 30,
      cost: '[1000,10000)',
      readmitted: false,
    });
    expect(JSON.stringify(row)).not.toMatch(/Ann|P-0001|MRN-77|123-45-6789|03601/);
  });

  it('emits vault entries for reversible tokens and new surrogates only, sealing the normalized value', () => {
    const { deid } = setup();
    const first = deid.deidentifyRow(raw({ patient_id: '  P-0001 ' }), { subjectKey: 'P-0001' });
    expect(first.vault.map((entry) => [entry.kind, entry.domain])).toEqual([
      ['token', 'patient'],
      ['surrogate', 'mrn'],
    ]);
    const [token, surrogate] = first.vault;
    expect(token!.token).toBe(first.row.patient_id);
    expect(openValue(keys, 'patient', token!.sealed)).toBe('P-0001');
    expect(surrogate!.token).toBe(first.row.mrn);
    expect(openValue(keys, 'mrn', surrogate!.sealed)).toBe('MRN-77');

    const second = deid.deidentifyRow(raw({ mrn: ' MRN-77' }), { subjectKey: 'P-0001' });
    expect(second.row.mrn).toBe(first.row.mrn);
    // One vault entry per token per deidentifier: the second row of the same person adds none.
    expect(second.vault.map((entry) => entry.kind)).toEqual([]);
  });

  it('passes nulls and missing columns through as null, and leaves no vault entry for them', () => {
    const { deid } = setup();
    const nulls = Object.fromEntries(Object.keys(raw()).map((key) => [key, null]));
    const { row, vault } = deid.deidentifyRow(nulls, { subjectKey: 'P-0001' });
    expect(Object.values(row).every((value) => value === null)).toBe(true);
    expect(vault).toEqual([]);
    expect(deid.deidentifyRow({}, { subjectKey: 'P-0001' }).row.patient_id).toBeNull();
  });

  it('reads own row keys only: a column named like an Object.prototype member is null when absent', () => {
    const columns = [column('constructor', 'string', 'attribute', { kind: 'keep' })];
    expect(createDeidentifier(admissions(columns), keys).deidentifyRow({}, { subjectKey: 'x' }).row).toEqual({ constructor: null });
  });

  it('gives a null age when the row’s reference date is null, and uses now() when the policy names none', () => {
    const { deid } = setup();
    expect(deid.deidentifyRow(raw({ admitted_at: null }), { subjectKey: 'P-0001' }).row.birth_date).toBeNull();

    const columns = [column('birth_date', 'date', 'quasi_identifier', { kind: 'age', at: undefined, topCode: 90 })];
    const now = () => new Date('2024-04-01T12:00:00Z');
    const deidNow = createDeidentifier(admissions(columns), keys, { now });
    expect(deidNow.deidentifyRow({ birth_date: '2000-04-01' }, { subjectKey: 'x' }).row.birth_date).toBe(24);
    expect(deidNow.deidentifyRow({ birth_date: '2000-04-02' }, { subjectKey: 'x' }).row.birth_date).toBe(23);
  });

  it('uses the key version it is given', () => {
    const { deid } = setup({ keyVersion: 1 });
    const { row, vault } = deid.deidentifyRow(raw(), { subjectKey: 'P-0001' });
    expect(row.patient_id).toBe(tokenize(keys, { domain: 'patient', caseFold: false }, 'P-0001', 1));
    expect(row.discharged_on).toBe(shiftDate(keys, 'P-0001', '2024-04-03', 30, 1));
    expect(vault[0]!.sealed.startsWith('vs1.1.')).toBe(true);
  });

  it('throws a TransformError naming the column for values a transform cannot take', () => {
    const { deid } = setup();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ zip: '3601' }, 'zip', /not a US ZIP code/],
      [{ zip: 3601 }, 'zip', /loses leading zeros/],
      [{ birth_date: '2024-05-01' }, 'birth_date', /birth date is after the reference date/],
      [{ admitted_at: '2024-02-30' }, 'admitted_at', /not a calendar date/],
      [{ cost: '1000' }, 'cost', /expected a number/],
      [{ length_of_stay: Number.NaN }, 'length_of_stay', /not a finite number/],
      [{ patient_id: { id: 1 } }, 'patient_id', /expected text/],
    ];
    for (const [override, name, reason] of cases) {
      let error: unknown;
      try {
        deid.deidentifyRow(raw(override), { subjectKey: 'P-0001' });
      } catch (caught) {
        error = caught;
      }
      expect(error, name).toBeInstanceOf(TransformError);
      expect((error as TransformError).column).toBe(name);
      expect((error as TransformError).reason).toMatch(reason);
      expect(isAirlockError(error, 'INGEST_ROW_REJECTED')).toBe(true);
    }
  });

  it('needs a subject key only for rows with a shifted date', () => {
    const { deid } = setup();
    expect(() => deid.deidentifyRow(raw(), { subjectKey: '' })).toThrow(expect.objectContaining({ column: 'discharged_on' }) as Error);
    expect(deid.deidentifyRow(raw({ discharged_on: null }), { subjectKey: '' }).row.discharged_on).toBeNull();
  });

  it('refuses a bad setup up front', () => {
    expect(() => createDeidentifier(admissions(), keys)).toThrow(/pass options.surrogates/);
    expect(() => createDeidentifier(admissions(), keys, { surrogates: new InMemorySurrogateResolver(), keyVersion: 3 })).toThrow(
      expect.objectContaining({ code: 'KEYRING_INVALID' }) as Error,
    );
    const badAt = [column('birth_date', 'date', 'quasi_identifier', { kind: 'age', at: 'seen_at', topCode: 90 })];
    expect(() => createDeidentifier(admissions(badAt), keys)).toThrow(expect.objectContaining({ code: 'POLICY_INVALID' }) as Error);
    const badEdges = [column('cost', 'number', 'measure', { kind: 'bucket', edges: [10, 5] })];
    expect(() => createDeidentifier(admissions(badEdges), keys)).toThrow(/policies\/admissions\.yaml:\d+: column "cost"/);
    const badShift = [column('d', 'date', 'event_date', { kind: 'shift', maxDays: 0 })];
    expect(() => createDeidentifier(admissions(badShift), keys)).toThrow(expect.objectContaining({ code: 'POLICY_INVALID' }) as Error);
  });
});
