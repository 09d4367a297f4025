import { describe, expect, it } from 'vitest';
import { deidentifiedRisk, RISK_DEFAULTS } from './risk-targets.ts';
import { errorsOf, parseClinic, realDataset, warningsOf } from './test-fixtures.ts';
import type { DatasetPolicy } from './model.ts';

const ZONE = 12; // the clinic fixture's deidentified line

describe('risk targets of the deidentified zone', () => {
  it('fills safe defaults: k 5, l 2, 5% suppressed, every quasi_identifier and event_date column', () => {
    const policy = parseClinic().policy as DatasetPolicy;
    expect(deidentifiedRisk(policy)).toEqual({ ...RISK_DEFAULTS, quasiIdentifiers: ['birth_date', 'seen_at'], sensitive: [], hierarchies: [] });
  });

  it('reads the demo policies: admissions caps age at 20-year bands, adult groups countries', () => {
    const admissions = deidentifiedRisk(realDataset('admissions'))!;
    expect(admissions).toMatchObject({ k: 5, l: 2, maxSuppressed: 0.05, sensitive: ['diagnosis'] });
    expect(admissions.hierarchies).toEqual([{ column: 'birth_date', maxLevel: 3, bands: [5, 10, 20], groups: undefined }]);
    const adult = deidentifiedRisk(realDataset('adult'))!;
    expect(adult.quasiIdentifiers).toEqual(['sex', 'age', 'race', 'marital-status', 'native-country']);
    expect(adult.hierarchies.find((h) => h.column === 'native-country')?.groups?.map((g) => g.name)).toEqual(['north-america', 'latin-america', 'europe', 'asia']);
  });

  it('takes extra quasi-identifiers and per-column hierarchies', () => {
    const text = {
      [ZONE]: '  deidentified: { roles: [analyst], k: 11, l: 1, max_suppressed: 0.01, quasi_identifiers: [ward], hierarchies: { ward: { groups: { acute: [icu, er] } }, birth_date: { bands: [10], max_level: 1 } } }',
    };
    const { policy, problems } = parseClinic(text);
    expect(errorsOf(problems)).toEqual([]);
    expect(deidentifiedRisk(policy as DatasetPolicy)).toMatchObject({ k: 11, l: 1, maxSuppressed: 0.01, quasiIdentifiers: ['birth_date', 'seen_at', 'ward'] });
  });

  it.each([
    ['k below 2', '  deidentified: { roles: [analyst], k: 1 }', '12:40', /k must be at least 2/u],
    ['a share above 1', '  deidentified: { roles: [analyst], max_suppressed: 5 }', '12:53', /max_suppressed/u],
    ['an unknown extra column', '  deidentified: { roles: [analyst], quasi_identifiers: [wrd] }', '12:57', /"wrd", which is not a declared column.*ward/u],
    ['an identifier as quasi-identifier', '  deidentified: { roles: [analyst], quasi_identifiers: [name] }', '12:57', /does not publish as a value/u],
    ['a hierarchy of a non-quasi-identifier', '  deidentified: { roles: [analyst], hierarchies: { cost: { bands: [5] } } }', '12:52', /"cost", which is not a published quasi-identifier/u],
    ['bands on a date', '  deidentified: { roles: [analyst], hierarchies: { seen_at: { bands: [5] } } }', '12:63', /bands applies to numbers/u],
    ['a value in two groups', '  deidentified: { roles: [analyst], quasi_identifiers: [ward], hierarchies: { ward: { groups: { a: [icu], b: [icu] } } } }', '12:111', /"icu" in both "a" and "b"/u],
  ])('refuses %s with its line and column', (_name, line, at, message) => {
    const errors = errorsOf(parseClinic({ [ZONE]: line }).problems);
    expect(errors.map((e) => `${e.line}:${e.column}`)).toContain(at);
    expect(errors.map((e) => `${e.message} ${e.fix}`).join('\n')).toMatch(message);
  });
});

describe('location lints', () => {
  const withColumn = (column: string) => parseClinic({ 9: `  cost: { type: number, class: measure }\n${column}` });
  it.each([
    ['a full-precision latitude', '  home_lat: { type: number, class: attribute }', ['location-coordinates']],
    ['a fine grid', '  longitude: { type: number, class: quasi_identifier, deidentified: { grid: 0.0001 } }', ['location-coordinates']],
    ['a 0.01° grid', '  longitude: { type: number, class: quasi_identifier, deidentified: { grid: 0.01 } }', []],
    ['a dropped coordinate', '  lat: { type: number, class: attribute, deidentified: drop }', []],
    ['a kept city', '  city: { type: string, class: attribute }', ['location-address']],
    ['a dropped city', '  city: { type: string, class: attribute, deidentified: drop }', []],
  ])('%s', (_name, column, rules) => {
    const { problems } = withColumn(column);
    expect(errorsOf(problems)).toEqual([]);
    expect(warningsOf(problems).map((p) => p.rule).filter((r) => r.startsWith('location'))).toEqual(rules);
    for (const p of warningsOf(problems).filter((w) => w.rule.startsWith('location'))) expect(p.fix).toMatch(/grid|drop/u);
  });

  it('rounds coordinates to the grid', async () => {
    const { gridCoordinate } = await import('@airlock/deid');
    expect(gridCoordinate(37.774929, 0.01)).toBe(37.77);
    expect(gridCoordinate(-122.419416, 0.1)).toBe(-122.4);
    expect(gridCoordinate(null, 0.1)).toBeNull();
  });
});
