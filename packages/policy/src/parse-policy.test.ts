import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '@airlock/core';
import { formatProblem } from './problem.ts';
import { parsePolicyText } from './parse-policy.ts';
import { clinicText, errorsOf, parseClinic, POLICIES_README, readPolicyFile, realDataset, realRoles, warningsOf } from './test-fixtures.ts';
import type { DatasetPolicy } from './model.ts';

/** `file:line:column: severity: message`, the part of a formatted problem before the fix. */
function located(text: string): string {
  return text.split('. Fix: ')[0] ?? text;
}

describe('the test policy files', () => {
  it('admissions.yaml validates with no errors and declares the generator columns in order', () => {
    const result = parsePolicyText('policies/admissions.yaml', readPolicyFile('admissions.yaml'), realRoles());
    expect(errorsOf(result.problems)).toEqual([]);
    const policy = result.policy as DatasetPolicy;
    expect(policy.columns.map((c) => c.name)).toEqual([
      'admission_id', 'mrn', 'name', 'ssn', 'email', 'birth_date', 'sex', 'zip', 'admitted_at', 'discharged_at',
      'ward', 'diagnosis', 'prior_admissions', 'length_of_stay', 'cost', 'readmitted',
    ]);
    expect(policy.subject).toBe('mrn');
    expect(policy.zones.aggregate).toEqual({
      roles: ['analyst', 'steward'],
      minCount: 11,
      finestDateGrain: 'week',
      dimensions: ['ward', 'diagnosis', 'sex'],
      measures: [
        { column: 'length_of_stay', min: 0, max: 60 },
        { column: 'cost', min: 0, max: 100000 },
      ],
      dateColumns: ['admitted_at', 'discharged_at'],
      maxRowsPerSubject: 6,
      privacy: { budgetRho: 0.4, period: 'month', queryRho: 0.1, delta: 1e-7 },
    });
    expect(policy.zones.synthetic).toEqual({ roles: ['analyst', 'ml', 'public', 'steward'], maxExactMatchRatio: 1.15, maxCloserToTrainShare: 0.55, refreshAfterIngest: true });
    expect(policy.training).toEqual({ approvedZones: ['synthetic', 'deidentified'], roles: ['ml', 'steward'], maxMembershipAuc: 0.6, fairnessAttributes: ['sex'], evaluationZone: 'deidentified' });
  });

  it('admissions.yaml warns only about tokens and month dates, the deliberate choices beyond Safe Harbor', () => {
    const result = parsePolicyText('policies/admissions.yaml', readPolicyFile('admissions.yaml'), realRoles());
    expect(warningsOf(result.problems).map((p) => `${p.rule} ${p.line}`)).toEqual([
      'safe-harbor-token 6',
      'safe-harbor-token 7',
      'safe-harbor-dates 14',
      'safe-harbor-dates 15',
    ]);
  });

  it('admissions.yaml converts each transform into the model', () => {
    const columns = new Map(realDataset('admissions').columns.map((c) => [c.name, c]));
    expect(columns.get('admission_id')?.deidentified).toEqual({ kind: 'tokenize', domain: 'admission', reversible: false, caseFold: true });
    expect(columns.get('mrn')?.deidentified).toEqual({ kind: 'tokenize', domain: 'patient', reversible: true, caseFold: true });
    expect(columns.get('name')?.deidentified).toEqual({ kind: 'drop' });
    expect(columns.get('email')?.deidentified).toEqual({ kind: 'surrogate', domain: 'email' });
    expect(columns.get('birth_date')?.deidentified).toEqual({ kind: 'age', at: 'admitted_at', topCode: 90 });
    expect(columns.get('zip')?.deidentified).toEqual({ kind: 'truncate', digits: 3, zip3: true });
    expect(columns.get('admitted_at')?.deidentified).toEqual({ kind: 'generalize', grain: 'month' });
    expect(columns.get('diagnosis')?.deidentified).toEqual({ kind: 'keep' });
    expect(columns.get('sex')?.values).toEqual(['F', 'M']);
    expect(columns.get('ward')?.values).toHaveLength(8);
    expect(columns.get('cost')).toMatchObject({ type: 'number', class: 'measure', nullable: false, values: undefined });
    expect(columns.get('mrn')?.position).toEqual({ file: 'policies/admissions.yaml', line: 7, column: 3 });
  });

  it('adult.yaml validates with no problems at all, with a row subject and no date columns', () => {
    const result = parsePolicyText('policies/adult.yaml', readPolicyFile('adult.yaml'), realRoles());
    expect(result.problems).toEqual([]);
    const policy = result.policy as DatasetPolicy;
    expect(policy.subject).toBe('_row');
    expect(policy.columns.map((c) => c.name)).toEqual(['sex', 'age', 'race', 'marital-status', 'education', 'native-country', 'workclass', 'occupation', 'salary-class']);
    expect(policy.zones.aggregate).toMatchObject({ minCount: 11, finestDateGrain: 'year', dateColumns: [], measures: [] });
    expect(policy.training).toEqual({ approvedZones: ['synthetic', 'deidentified'], roles: undefined, maxMembershipAuc: 0.6, fairnessAttributes: [] });
  });

  it('roles.yaml defines steward as the one steward role', () => {
    expect(realRoles().roles.map((r) => [r.name, r.steward])).toEqual([
      ['steward', true],
      ['analyst', false],
      ['ml', false],
      ['public', false],
    ]);
  });
});

describe('a valid policy', () => {
  it('fills the documented defaults', () => {
    const policy = parseClinic({ 13: '  aggregate: { roles: [analyst], dimensions: [ward] }', 14: '  synthetic: { roles: [public] }', 15: '', 16: '' }).policy as DatasetPolicy;
    // No measures unless listed with bounds (no bounds, no sum); one row per subject; the default budget.
    expect(policy.zones.aggregate).toEqual({
      roles: ['analyst'],
      minCount: 11,
      finestDateGrain: 'year',
      dimensions: ['ward'],
      measures: [],
      dateColumns: ['birth_date', 'seen_at'],
      maxRowsPerSubject: 1,
      privacy: { budgetRho: 0.25, period: 'month', queryRho: 0.05, delta: 1e-7 },
    });
    expect(policy.zones.synthetic).toEqual({ roles: ['public'], maxExactMatchRatio: 1.15, maxCloserToTrainShare: 0.55, refreshAfterIngest: false });
    expect(policy.training).toEqual({ approvedZones: [], roles: undefined, maxMembershipAuc: 0.6, fairnessAttributes: [] });
    expect(policy.description).toBeUndefined();
    expect(policy.columns.find((c) => c.name === 'ward')?.deidentified).toEqual({ kind: 'keep' });
  });

  it('leaves undeclared optional zones undefined', () => {
    const policy = parseClinic({ 12: '', 13: '', 14: '', 16: '  approved_zones: []' }).policy as DatasetPolicy;
    expect(policy.zones).toEqual({ restricted: { roles: ['steward'] }, deidentified: undefined, aggregate: undefined, synthetic: undefined });
  });

  it('parses every transform form', () => {
    const result = parseClinic({
      7: '  seen_at: { type: timestamp, class: event_date, deidentified: { shift: { max_days: 30 } } }',
      8: '  ward: { type: string, class: attribute, deidentified: { tokenize: { domain: ward, case_fold: false } } }',
      9: '  cost: { type: number, class: measure, deidentified: { bucket: [0, 10.5, 100] } }',
      6: '  birth_date: { type: date, class: quasi_identifier, deidentified: { top_code: 85 } }',
    });
    expect(errorsOf(result.problems)).toEqual([]);
    const columns = new Map((result.policy as DatasetPolicy).columns.map((c) => [c.name, c.deidentified]));
    expect(columns.get('seen_at')).toEqual({ kind: 'shift', maxDays: 30 });
    expect(columns.get('ward')).toEqual({ kind: 'tokenize', domain: 'ward', reversible: false, caseFold: false });
    expect(columns.get('cost')).toEqual({ kind: 'bucket', edges: [0, 10.5, 100] });
    expect(columns.get('birth_date')).toEqual({ kind: 'age', at: undefined, topCode: 85 });
  });

  it('converts bounded measures, the contribution bound and privacy settings into the model', () => {
    const result = parseClinic({
      13: '  aggregate: { roles: [analyst], dimensions: [ward], measures: { cost: { min: -5, max: 250.5 } }, max_rows_per_subject: 3, privacy: { budget: 1, period: quarter, query_cost: 0.1, delta: 1.0e-9 } }',
    });
    expect(errorsOf(result.problems)).toEqual([]);
    const aggregate = (result.policy as DatasetPolicy).zones.aggregate;
    expect(aggregate?.measures).toEqual([{ column: 'cost', min: -5, max: 250.5 }]);
    expect(aggregate?.maxRowsPerSubject).toBe(3);
    expect(aggregate?.privacy).toEqual({ budgetRho: 1, period: 'quarter', queryRho: 0.1, delta: 1e-9 });
    expect(Object.isFrozen(aggregate?.measures[0])).toBe(true);
    expect(Object.isFrozen(aggregate?.privacy)).toBe(true);
  });

  it('fills the privacy settings a policy leaves out with their defaults', () => {
    const result = parseClinic({ 13: '  aggregate: { roles: [analyst], dimensions: [ward], privacy: { period: week } }' });
    expect(errorsOf(result.problems)).toEqual([]);
    expect((result.policy as DatasetPolicy).zones.aggregate?.privacy).toEqual({ budgetRho: 0.25, period: 'week', queryRho: 0.05, delta: 1e-7 });
  });

  it('accepts a query cost equal to the budget (one query per period)', () => {
    const result = parseClinic({ 13: '  aggregate: { roles: [analyst], dimensions: [ward], privacy: { budget: 0.1, query_cost: 0.1 } }' });
    expect(errorsOf(result.problems)).toEqual([]);
  });

  it('parses clamp with either bound and allows a nullable column', () => {
    const result = parseClinic({ 9: '  cost: { type: integer, class: measure, nullable: true, deidentified: { clamp: { min: 0 } } }' });
    const cost = (result.policy as DatasetPolicy).columns.find((c) => c.name === 'cost');
    expect(cost).toMatchObject({ nullable: true, deidentified: { kind: 'clamp', min: 0, max: undefined } });
  });

  it('skips role checks when no roles policy is given', () => {
    const result = parsePolicyText('policies/clinic.yaml', clinicText({ 12: '  deidentified: { roles: [nobody] }' }));
    expect(errorsOf(result.problems)).toEqual([]);
  });

  it('records the source with the sha256 of the text', () => {
    const text = clinicText();
    const policy = parsePolicyText('policies/clinic.yaml', text).policy;
    expect(policy?.source).toEqual({ file: 'policies/clinic.yaml', sha256: sha256Hex(text), content: text });
  });

  it('is deeply frozen', () => {
    const policy = parseClinic().policy as DatasetPolicy;
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(policy.columns)).toBe(true);
    expect(Object.isFrozen(policy.columns[0])).toBe(true);
    expect(Object.isFrozen(policy.columns[0]?.deidentified)).toBe(true);
    expect(Object.isFrozen(policy.columns[0]?.position)).toBe(true);
    expect(Object.isFrozen(policy.zones.aggregate?.dimensions)).toBe(true);
    expect(Object.isFrozen(policy.training.approvedZones)).toBe(true);
    expect(Object.isFrozen(policy.source)).toBe(true);
    expect(() => {
      (policy.columns as unknown as unknown[]).push({});
    }).toThrow(TypeError);
    expect(() => {
      (policy as unknown as { subject: string }).subject = 'name';
    }).toThrow(TypeError);
  });
});

/** One broken edit of the clinic policy: where the first error is and what it says. */
interface BrokenCase {
  readonly name: string;
  readonly edits: Readonly<Record<number, string>>;
  /** `policies/clinic.yaml:<line>:<column>: error: <message>` */
  readonly error: string;
  /** A part of the fix. */
  readonly fix: string;
}

const BROKEN: readonly BrokenCase[] = [
  {
    name: 'unknown key, with a suggestion',
    edits: { 13: '  aggregate: { roles: [analyst], min_cout: 11, finest_date_grain: week, dimensions: [ward], measures: { cost: { min: 0, max: 1000 } } }' },
    error: 'policies/clinic.yaml:13:34: error: unknown key "min_cout" in zones.aggregate',
    fix: 'did you mean "min_count"?',
  },
  {
    name: 'unknown top-level key',
    edits: { 1: 'dataset: clinic\ndescripton: Clinic visits' },
    error: 'policies/clinic.yaml:2:1: error: unknown key "descripton" in the file',
    fix: 'did you mean "description"?',
  },
  {
    name: 'wrong column type',
    edits: { 9: '  cost: { type: numeric, class: measure }' },
    error: 'policies/clinic.yaml:9:17: error: columns.cost.type "numeric" is not an allowed value',
    fix: 'use one of the allowed values: "string", "integer", "number", "boolean", "date", "timestamp"',
  },
  {
    name: 'abbreviated column type',
    edits: { 9: '  cost: { type: int, class: measure }' },
    error: 'policies/clinic.yaml:9:17: error: columns.cost.type "int" is not an allowed value',
    fix: 'did you mean "integer"?',
  },
  {
    name: 'wrong value type',
    edits: { 9: '  cost: { type: number, class: measure, nullable: maybe }' },
    error: 'policies/clinic.yaml:9:51: error: columns.cost.nullable must be true or false, got "maybe"',
    fix: 'write true or false',
  },
  {
    name: 'a category YAML reads as a number',
    edits: { 8: '  ward: { type: string, class: attribute, values: [icu, 7] }' },
    error: 'policies/clinic.yaml:8:57: error: columns.ward.values[1] must be text, got 7',
    fix: 'quote it: "7"',
  },
  {
    name: 'min_count not a whole number',
    edits: { 13: '  aggregate: { roles: [analyst], min_count: 2.5, dimensions: [ward] }' },
    error: 'policies/clinic.yaml:13:45: error: zones.aggregate.min_count must be a whole number, got 2.5',
    fix: 'write a whole number',
  },
  {
    name: 'missing subject',
    edits: { 2: '' },
    error: 'policies/clinic.yaml:1:1: error: missing required key "subject" in the file',
    fix: 'add subject:',
  },
  {
    name: 'empty subject',
    edits: { 2: 'subject:' },
    error: 'policies/clinic.yaml:2:1: error: subject must be text, got an empty value',
    fix: 'write text for subject',
  },
  {
    name: 'subject not a declared column',
    edits: { 2: 'subject: patient_id' },
    error: 'policies/clinic.yaml:2:10: error: subject "patient_id" is not a declared column',
    fix: 'use one of the identifier columns: "mrn", "name"; or write subject: _row',
  },
  {
    name: 'subject dropped',
    edits: { 4: '  mrn: { type: string, class: identifier, deidentified: drop }' },
    error: 'policies/clinic.yaml:4:57: error: subject column "mrn" is dropped, so deidentified rows could not be counted by person',
    fix: '{ tokenize: { domain: mrn } } or { surrogate: { domain: mrn } }',
  },
  {
    name: 'subject not an identifier',
    edits: { 4: '  mrn: { type: string, class: attribute, deidentified: { surrogate: { domain: patient } } }' },
    error: 'policies/clinic.yaml:4:31: error: subject column "mrn" has class attribute, but the column that names a person is an identifier',
    fix: 'set class: identifier',
  },
  {
    name: 'min_count 1',
    edits: { 13: '  aggregate: { roles: [analyst], min_count: 1, finest_date_grain: week, dimensions: [ward], measures: { cost: { min: 0, max: 1000 } } }' },
    error: 'policies/clinic.yaml:13:45: error: zones.aggregate.min_count must be at least 2, got 1',
    fix: 'use at least 2',
  },
  {
    name: 'bad grain',
    edits: { 13: '  aggregate: { roles: [analyst], min_count: 11, finest_date_grain: fortnight, dimensions: [ward], measures: { cost: { min: 0, max: 1000 } } }' },
    error: 'policies/clinic.yaml:13:68: error: zones.aggregate.finest_date_grain "fortnight" is not an allowed value',
    fix: '"day", "week", "month", "quarter", "year"',
  },
  {
    name: 'generalize to day',
    edits: { 7: '  seen_at: { type: date, class: event_date, deidentified: { generalize: day } }' },
    error: 'policies/clinic.yaml:7:73: error: columns.seen_at.deidentified.generalize "day" is not an allowed value',
    fix: '"week", "month", "quarter", "year"',
  },
  {
    name: 'identifier kept explicitly',
    edits: { 5: '  name: { type: string, class: identifier, deidentified: keep }' },
    error: 'policies/clinic.yaml:5:58: error: identifier column "name" is kept in the deidentified zone',
    fix: 'write deidentified: drop, { tokenize: { domain: name } } or { surrogate: { domain: name } }',
  },
  {
    name: 'identifier kept by omission',
    edits: { 5: '  name: { type: string, class: identifier }' },
    error: 'policies/clinic.yaml:5:3: error: identifier column "name" is kept (no deidentified transform) in the deidentified zone',
    fix: 'write deidentified: drop',
  },
  {
    name: 'identifier partially kept',
    edits: { 5: '  name: { type: string, class: identifier, deidentified: { truncate: 1 } }' },
    error: 'policies/clinic.yaml:5:58: error: identifier column "name" uses truncate; a partial identifier still points at a person',
    fix: 'write deidentified: drop',
  },
  {
    name: 'dimension not declared',
    edits: { 13: '  aggregate: { roles: [analyst], min_count: 11, finest_date_grain: week, dimensions: [ward, wrad], measures: { cost: { min: 0, max: 1000 } } }' },
    error: 'policies/clinic.yaml:13:93: error: zones.aggregate.dimensions names "wrad", which is not a declared column',
    fix: 'did you mean "ward"?',
  },
  {
    name: 'identifier as a dimension',
    edits: { 13: '  aggregate: { roles: [analyst], dimensions: [mrn] }' },
    error: 'policies/clinic.yaml:13:47: error: zones.aggregate.dimensions names identifier column "mrn"; aggregates never group by or expose direct identifiers',
    fix: 'remove "mrn" from zones.aggregate.dimensions',
  },
  {
    name: 'date as a dimension',
    edits: { 13: '  aggregate: { roles: [analyst], dimensions: [seen_at] }' },
    error: 'policies/clinic.yaml:13:47: error: zones.aggregate.dimensions names date column "seen_at"; dates are grouped by grain, not by exact value',
    fix: 'move "seen_at" to date_columns',
  },
  {
    name: 'measure not numeric',
    edits: { 13: '  aggregate: { roles: [analyst], min_count: 11, finest_date_grain: week, dimensions: [ward], measures: { ward: { min: 0, max: 1 } } }' },
    error: 'policies/clinic.yaml:13:112: error: zones.aggregate.measures names string column "ward"; measures are summed and averaged, so they must be numbers',
    fix: 'list a numeric column: cost',
  },
  {
    name: 'measures without bounds (no bounds, no sum)',
    edits: { 13: '  aggregate: { roles: [analyst], min_count: 11, finest_date_grain: week, dimensions: [ward], measures: [cost] }' },
    error: 'policies/clinic.yaml:13:105: error: zones.aggregate.measures lists "cost" without bounds; a sum is released only with noise scaled to the largest value one person can add',
    fix: 'e.g. measures: { cost: { min: 0, max: 1000 } }',
  },
  {
    name: 'measure bounds that hold no value',
    edits: { 13: '  aggregate: { roles: [analyst], min_count: 11, finest_date_grain: week, dimensions: [ward], measures: { cost: { min: 5, max: 5 } } }' },
    error: 'policies/clinic.yaml:13:112: error: zones.aggregate.measures.cost min must be below max',
    fix: 'min < max',
  },
  {
    name: 'query cost above the budget',
    edits: { 13: '  aggregate: { roles: [analyst], min_count: 11, finest_date_grain: week, dimensions: [ward], privacy: { budget: 0.1, query_cost: 0.2 } }' },
    error: 'policies/clinic.yaml:13:130: error: zones.aggregate.privacy.query_cost 0.2 is above the budget 0.1; no query could ever run',
    fix: 'lower query_cost to at most 0.1, or raise budget',
  },
  {
    name: 'the default query cost above a small budget (found at the privacy mapping)',
    edits: { 13: '  aggregate: { roles: [analyst], dimensions: [ward], privacy: { budget: 0.04 } }' },
    error: 'policies/clinic.yaml:13:63: error: zones.aggregate.privacy.query_cost 0.05 is above the budget 0.04; no query could ever run',
    fix: 'lower query_cost to at most 0.04',
  },
  {
    name: 'unknown budget period',
    edits: { 13: '  aggregate: { roles: [analyst], dimensions: [ward], privacy: { period: fortnight } }' },
    error: 'policies/clinic.yaml:13:73: error: zones.aggregate.privacy.period "fortnight" is not an allowed value',
    fix: '"day", "week", "month", "quarter", "year"',
  },
  {
    name: 'delta too large to mean anything',
    edits: { 13: '  aggregate: { roles: [analyst], dimensions: [ward], privacy: { delta: 0.01 } }' },
    error: 'policies/clinic.yaml:13:72: error: zones.aggregate.privacy.delta must be at most 0.001, got 0.01',
    fix: 'at most 0.001',
  },
  {
    name: 'max_rows_per_subject 0',
    edits: { 13: '  aggregate: { roles: [analyst], dimensions: [ward], max_rows_per_subject: 0 }' },
    error: 'policies/clinic.yaml:13:76: error: zones.aggregate.max_rows_per_subject must be at least 1, got 0',
    fix: 'at least 1',
  },
  {
    name: 'date column not a date',
    edits: { 13: '  aggregate: { roles: [analyst], dimensions: [ward], date_columns: [cost] }' },
    error: 'policies/clinic.yaml:13:69: error: zones.aggregate.date_columns names number column "cost", not a date or timestamp',
    fix: 'list a date column: birth_date, seen_at',
  },
  {
    name: 'measure class on a string column',
    edits: { 8: '  ward: { type: string, class: measure }' },
    error: 'policies/clinic.yaml:8:32: error: column "ward" has class measure but type string; measures are summed and averaged, so they are numbers',
    fix: 'set type: integer or number',
  },
  {
    name: 'age_at not a date',
    edits: { 6: '  birth_date: { type: date, class: quasi_identifier, deidentified: { age_at: ward, top_code: 90 } }' },
    error: 'policies/clinic.yaml:6:78: error: age_at of column "birth_date" names "ward", a string column; an age is measured at a date',
    fix: 'name a date or timestamp column: seen_at',
  },
  {
    name: 'age_at not declared',
    edits: { 6: '  birth_date: { type: date, class: quasi_identifier, deidentified: { age_at: seen, top_code: 90 } }' },
    error: 'policies/clinic.yaml:6:78: error: age_at of column "birth_date" names "seen", which is not a declared column',
    fix: 'did you mean "seen_at"?',
  },
  {
    name: 'transform that does not fit the type',
    edits: { 9: '  cost: { type: number, class: measure, deidentified: { truncate: 3 } }' },
    error: 'policies/clinic.yaml:9:55: error: column "cost" has type number, but truncate applies to string columns',
    fix: 'use a transform for number columns (keep, drop, bucket, clamp, grid)',
  },
  {
    name: 'unknown transform',
    edits: { 9: '  cost: { type: number, class: measure, deidentified: { clam: { max: 10 } } }' },
    error: 'policies/clinic.yaml:9:57: error: columns.cost.deidentified names no known transform ("clam")',
    fix: 'did you mean "clamp"?',
  },
  {
    name: 'misspelt keyword transform',
    edits: { 9: '  cost: { type: number, class: measure, deidentified: kep }' },
    error: 'policies/clinic.yaml:9:55: error: columns.cost.deidentified "kep" is not a transform',
    fix: 'did you mean "keep"?',
  },
  {
    name: 'two transforms',
    edits: { 9: '  cost: { type: number, class: measure, deidentified: { clamp: { max: 10 }, bucket: [1] } }' },
    error: 'policies/clinic.yaml:9:77: error: columns.cost.deidentified names two transforms, clamp and bucket',
    fix: 'keep one transform per column',
  },
  {
    name: 'bucket edges out of order',
    edits: { 9: '  cost: { type: number, class: measure, deidentified: { bucket: [0, 7, 3] } }' },
    error: 'policies/clinic.yaml:9:72: error: columns.cost.deidentified.bucket[2] is 3, not above the edge before it (7)',
    fix: 'strictly increasing',
  },
  {
    name: 'clamp with min above max',
    edits: { 9: '  cost: { type: number, class: measure, deidentified: { clamp: { min: 5, max: 1 } } }' },
    error: 'policies/clinic.yaml:9:71: error: columns.cost.deidentified.clamp.min is 5, above max 1',
    fix: 'make min at most max',
  },
  {
    name: 'clamp without bounds',
    edits: { 9: '  cost: { type: number, class: measure, deidentified: { clamp: {} } }' },
    error: 'policies/clinic.yaml:9:64: error: columns.cost.deidentified.clamp sets neither min nor max',
    fix: 'add max: <number>',
  },
  {
    name: 'unknown tokenize option',
    edits: { 4: '  mrn: { type: string, class: identifier, deidentified: { tokenize: { domain: patient, reversable: true } } }' },
    error: 'policies/clinic.yaml:4:88: error: unknown key "reversable" in columns.mrn.deidentified.tokenize',
    fix: 'did you mean "reversible"?',
  },
  {
    name: 'unknown role',
    edits: { 12: '  deidentified: { roles: [analyst, analist2] }' },
    error: 'policies/clinic.yaml:12:36: error: zones.deidentified.roles names role "analist2", which policies/roles.yaml does not define',
    fix: 'did you mean "analyst"?',
  },
  {
    name: 'unknown training role',
    edits: { 16: '  approved_zones: [synthetic]\n  roles: [ml, trainer]' },
    error: 'policies/clinic.yaml:17:15: error: training.roles names role "trainer", which policies/roles.yaml does not define',
    fix: 'define "trainer" in policies/roles.yaml',
  },
  {
    name: 'non-steward role in the restricted zone',
    edits: { 11: '  restricted: { roles: [steward, analyst] }' },
    error: 'policies/clinic.yaml:11:34: error: zones.restricted names role "analyst", which is not a steward role; the restricted zone holds raw identifiers',
    fix: 'remove "analyst" from zones.restricted.roles',
  },
  {
    name: 'zone with no roles',
    edits: { 11: '  restricted: { roles: [] }' },
    error: 'policies/clinic.yaml:11:24: error: zones.restricted.roles must list at least 1 item',
    fix: 'list at least 1 item',
  },
  {
    name: 'missing restricted zone',
    edits: { 11: '' },
    error: 'policies/clinic.yaml:10:1: error: missing required key "restricted" in zones',
    fix: 'add restricted: <a mapping>',
  },
  {
    name: 'unknown zone',
    edits: { 14: '  synthetc: { roles: [analyst, public] }' },
    error: 'policies/clinic.yaml:14:3: error: unknown key "synthetc" in zones',
    fix: 'did you mean "synthetic"?',
  },
  {
    name: 'training zone that is not a zone',
    edits: { 16: '  approved_zones: [synthetic, restrictd]' },
    error: 'policies/clinic.yaml:16:31: error: training.approved_zones[1] "restrictd" is not an allowed value',
    fix: 'did you mean "restricted"?',
  },
  {
    name: 'training zone the policy does not declare',
    edits: { 12: '', 16: '  approved_zones: [synthetic, deidentified]' },
    error: 'policies/clinic.yaml:16:31: error: training.approved_zones names "deidentified", which this policy does not declare under zones',
    fix: 'declare zones.deidentified',
  },
  {
    name: 'membership limit at or below guessing',
    edits: { 16: '  approved_zones: [synthetic]\n  max_membership_auc: 0.5' },
    error: 'policies/clinic.yaml:17:23: error: training.max_membership_auc must be greater than 0.5, got 0.5',
    fix: 'use a value above 0.5',
  },
  {
    name: 'fairness attribute that is not a column',
    edits: { 16: '  approved_zones: [synthetic]\n  fairness_attributes: [wards]' },
    error: 'policies/clinic.yaml:17:25: error: training.fairness_attributes names "wards", which is not a column of this dataset',
    fix: 'did you mean "ward"?',
  },
  {
    name: 'fairness attribute that is an identifier',
    edits: { 16: '  approved_zones: [synthetic]\n  fairness_attributes: [ward, mrn]' },
    error: 'policies/clinic.yaml:17:31: error: training.fairness_attributes names "mrn", an identifier',
    fix: 'name a column that groups people',
  },
  {
    name: 'fairness attribute that is a date',
    edits: { 16: '  approved_zones: [synthetic]\n  fairness_attributes: [seen_at]' },
    error: 'policies/clinic.yaml:17:25: error: training.fairness_attributes names "seen_at", a date, whose values are too many to group by',
    fix: 'name a categorical or numeric column',
  },
  {
    name: 'evaluation zone the policy does not declare',
    edits: { 12: '', 16: '  approved_zones: [synthetic]\n  evaluation_zone: deidentified' },
    error: 'policies/clinic.yaml:17:20: error: training.evaluation_zone names "deidentified", which this policy does not declare under zones',
    fix: 'declare zones.deidentified, or remove training.evaluation_zone',
  },
  {
    name: 'evaluation zone that holds no real rows in the models\' shape',
    edits: { 16: '  approved_zones: [synthetic]\n  evaluation_zone: restricted' },
    error: 'policies/clinic.yaml:17:20: error: training.evaluation_zone "restricted" is not an allowed value',
    fix: 'deidentified',
  },
  {
    name: 'training on aggregates',
    edits: { 16: '  approved_zones: [aggregate]' },
    error: 'policies/clinic.yaml:16:20: error: training.approved_zones names "aggregate", which releases thresholded counts, not rows to train on',
    fix: 'approve synthetic or deidentified',
  },
  {
    name: 'dataset not matching the file name',
    edits: { 1: 'dataset: klinik' },
    error: 'policies/clinic.yaml:1:10: error: dataset "klinik" does not match the file name "clinic.yaml"',
    fix: 'set dataset: clinic, or rename the file to klinik.yaml',
  },
  {
    name: 'invalid dataset name',
    edits: { 1: 'dataset: Clinic' },
    error: 'policies/clinic.yaml:1:10: error: dataset "Clinic" is not a valid name',
    fix: 'lowercase letters, digits and _',
  },
  {
    name: 'invalid column name',
    edits: { 8: '  Ward: { type: string, class: attribute }' },
    error: 'policies/clinic.yaml:8:3: error: columns key "Ward" is not a valid name',
    fix: 'lowercase letters, digits, _ and -',
  },
  {
    name: 'values on a number column',
    edits: { 9: '  cost: { type: number, class: measure, values: [a] }' },
    error: 'policies/clinic.yaml:9:49: error: column "cost" lists values but has type number; value lists declare the categories of a string column',
    fix: 'remove values',
  },
  {
    name: 'duplicate list entry',
    edits: { 12: '  deidentified: { roles: [analyst, analyst] }' },
    error: 'policies/clinic.yaml:12:36: error: zones.deidentified.roles lists "analyst" twice',
    fix: 'remove the second "analyst"',
  },
  {
    name: 'unknown accepted lint',
    edits: { 7: '  seen_at: { type: date, class: event_date, accept: { safe-harbor-date: expert determination } }' },
    error: 'policies/clinic.yaml:7:55: error: columns.seen_at.accept names "safe-harbor-date", which is not a lint rule',
    fix: 'did you mean "safe-harbor-dates"?',
  },
  {
    name: 'YAML syntax error: unclosed flow mapping',
    edits: { 8: '  ward: { type: string, class: attribute' },
    error: 'policies/clinic.yaml:9:3: error: YAML syntax error (BAD_INDENT): Flow map in block collection must be sufficiently indented and end with a }',
    fix: 'check the indentation',
  },
  {
    name: 'YAML syntax error: duplicate key',
    edits: { 8: '  mrn: { type: string, class: attribute }' },
    error: 'policies/clinic.yaml:8:3: error: YAML syntax error (DUPLICATE_KEY): Map keys must be unique',
    fix: 'keep one of the two keys',
  },
];

describe('a broken policy', () => {
  it.each(BROKEN)('$name', ({ edits, error, fix }) => {
    const result = parseClinic(edits);
    expect(result.policy).toBeUndefined();
    const errors = errorsOf(result.problems).map(formatProblem);
    expect(errors.map(located)).toEqual([error]);
    expect(errors[0]).toContain(fix);
  });

  it('reports schema and transform errors of one file together', () => {
    const result = parseClinic({ 13: '  aggregate: { roles: [analyst], min_count: 0, dimensions: [ward] }', 9: '  cost: { type: number, class: measure, deidentified: kep }' });
    expect(errorsOf(result.problems).map((p) => `${p.line}:${p.column} ${p.rule}`)).toEqual(['9:55 unknown-transform', '13:45 out-of-range']);
  });

  it('reports an empty file and a file that is not a mapping', () => {
    expect(parsePolicyText('policies/x.yaml', '').problems.map(formatProblem)).toEqual([
      'policies/x.yaml:1:1: error: the file must be a mapping, got an empty value. Fix: write a mapping for the file',
    ]);
    expect(errorsOf(parsePolicyText('policies/x.yaml', '- a\n- b\n').problems).map(formatProblem).map(located)).toEqual(['policies/x.yaml:1:1: error: the file must be a mapping, got a list']);
  });
});

describe('the roles file', () => {
  it('parses roles with defaults', () => {
    const result = parsePolicyText('policies/roles.yaml', 'roles:\n  owner: { steward: true, description: Owners }\n  viewer: {}\n');
    expect(result.problems).toEqual([]);
    expect(result.policy).toMatchObject({
      kind: 'roles',
      roles: [
        { name: 'owner', steward: true, description: 'Owners' },
        { name: 'viewer', steward: false, description: undefined },
      ],
    });
  });

  it.each([
    ['roles:\n  owner: { stewrd: true }\n', 'policies/roles.yaml:2:12: error: unknown key "stewrd" in roles.owner', 'did you mean "steward"?'],
    ['roles:\n  owner: { steward: yes }\n', 'policies/roles.yaml:2:21: error: roles.owner.steward must be true or false, got "yes"', 'write true or false'],
    ['roles: {}\n', 'policies/roles.yaml:1:8: error: roles is empty', 'declare at least one role'],
    ['role:\n  owner: {}\n', 'policies/roles.yaml:1:1: error: unknown key "role" in the file', 'did you mean "roles"?'],
    ['roles:\n  Owner: {}\n', 'policies/roles.yaml:2:3: error: roles key "Owner" is not a valid name', 'lowercase letters'],
  ])('reports %j', (text, error, fix) => {
    const result = parsePolicyText('policies/roles.yaml', text);
    expect(result.policy).toBeUndefined();
    const errors = errorsOf(result.problems).map(formatProblem);
    const index = errors.map(located).indexOf(error);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(errors[index]).toContain(fix);
  });
});

describe('policies/README.md', () => {
  const readme = readFileSync(POLICIES_README, 'utf8');
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/gu)].map((match) => match[1] ?? '');

  it('has a complete example that validates without errors', () => {
    const example = blocks[0] ?? '';
    const result = parsePolicyText('policies/admissions.yaml', example, realRoles());
    expect(errorsOf(result.problems).map(formatProblem)).toEqual([]);
    expect(warningsOf(result.problems).map((p) => p.rule)).toEqual(['safe-harbor-token']);
  });

  it('has a roles example that validates', () => {
    const roles = blocks.find((block) => block.startsWith('roles:')) ?? '';
    expect(parsePolicyText('policies/roles.yaml', roles).problems).toEqual([]);
  });

  it('shows an accept entry that silences the dates lint', () => {
    const accept = blocks.find((block) => block.includes('accept:')) ?? '';
    const result = parseClinic({ 9: `  cost: { type: number, class: measure }\n${accept.trimEnd()}` });
    expect(result.problems.map(formatProblem)).toEqual([]);
  });
});
