import { describe, expect, it } from 'vitest';
import { formatProblem } from './problem.ts';
import { errorsOf, parseClinic, warningsOf } from './test-fixtures.ts';

const COST = '  cost: { type: number, class: measure }';

/** The clinic policy with one extra column declared on line 10. */
function withColumn(column: string): Record<number, string> {
  return { 9: `${COST}\n${column}` };
}

/** Warnings as `rule line:column`. */
function lints(edits: Record<number, string>): string[] {
  const result = parseClinic(edits);
  expect(errorsOf(result.problems)).toEqual([]);
  // Warnings never fail validation.
  expect(result.policy).toBeDefined();
  return warningsOf(result.problems).map((p) => `${p.rule} ${p.line}:${p.column}`);
}

describe('Safe Harbor lints', () => {
  it('are silent on the clinic policy (surrogate subject, year dates, top-coded ages)', () => {
    expect(lints({})).toEqual([]);
  });

  it('are silent on rows about no one (about_people: false), and fire on the same columns otherwise', () => {
    const places = { ...withColumn('  departed: { type: date, class: event_date }\n  origin_zip: { type: string, class: attribute }\n  lat: { type: number, class: attribute }') };
    expect(lints(places)).toEqual(expect.arrayContaining(['safe-harbor-dates 10:3']));
    expect(lints(places).length).toBeGreaterThanOrEqual(3);
    expect(lints({ ...places, 2: 'subject: mrn\nabout_people: false' })).toEqual([]);
  });

  describe('dates (45 CFR 164.514(b)(2)(i)(C))', () => {
    it.each([
      ['a kept date', '  seen: { type: date, class: event_date }', ['safe-harbor-dates 10:3']],
      ['a kept timestamp', '  seen: { type: timestamp, class: event_date, deidentified: keep }', ['safe-harbor-dates 10:61']],
      ['a month', '  seen: { type: date, class: event_date, deidentified: { generalize: month } }', ['safe-harbor-dates 10:56']],
      ['a week', '  seen: { type: date, class: event_date, deidentified: { generalize: week } }', ['safe-harbor-dates 10:56']],
      ['a quarter', '  seen: { type: date, class: event_date, deidentified: { generalize: quarter } }', ['safe-harbor-dates 10:56']],
      ['a shift', '  seen: { type: date, class: event_date, deidentified: { shift: { max_days: 30 } } }', ['safe-harbor-dates 10:56']],
      ['a year', '  seen: { type: date, class: event_date, deidentified: { generalize: year } }', []],
      ['a dropped date', '  seen: { type: date, class: event_date, deidentified: drop }', []],
      ['an age derived from a date', '  born: { type: date, class: quasi_identifier, deidentified: { top_code: 90 } }', []],
    ])('%s', (_name, column, expected) => {
      expect(lints(withColumn(column))).toEqual(expected);
    });

    it('call month a choice beyond the strict reading and shift an expert-determination method', () => {
      const month = warningsOf(parseClinic(withColumn('  seen: { type: date, class: event_date, deidentified: { generalize: month } }')).problems)[0];
      expect(month && formatProblem(month)).toBe(
        'policies/clinic.yaml:10:56: warning: column "seen" is generalized to month; HIPAA Safe Harbor (45 CFR 164.514(b)(2)(i)(C)) removes all elements of dates except the year, so month is a choice beyond Safe Harbor\'s strict reading that needs an expert determination. Fix: use { generalize: year } to meet Safe Harbor; or record why with accept: { safe-harbor-dates: "<reason>" } on the column',
      );
      const shift = warningsOf(parseClinic(withColumn('  seen: { type: date, class: event_date, deidentified: { shift: { max_days: 9 } } }')).problems)[0];
      expect(shift?.message).toContain('expert-determination method (45 CFR 164.514(b)(1))');
    });
  });

  describe('ZIP codes (45 CFR 164.514(b)(2)(i)(B))', () => {
    it.each([
      ['a kept ZIP', '  zip: { type: string, class: quasi_identifier }', ['safe-harbor-zip 10:3']],
      ['a kept postal code', '  postal_code: { type: string, class: quasi_identifier, deidentified: keep }', ['safe-harbor-zip 10:71']],
      ['ZIP3 without the low-population mapping', '  zip: { type: string, class: quasi_identifier, deidentified: { truncate: 3 } }', ['safe-harbor-zip 10:63']],
      ['more than 3 digits', '  zip: { type: string, class: quasi_identifier, deidentified: { truncate: 4, zip3: true } }', ['safe-harbor-zip 10:63']],
      ['ZIP3 with the mapping', '  zip: { type: string, class: quasi_identifier, deidentified: { truncate: 3, zip3: true } }', []],
      ['2 digits', '  zip: { type: string, class: quasi_identifier, deidentified: { truncate: 2 } }', []],
      ['a dropped ZIP', '  zip_code: { type: string, class: quasi_identifier, deidentified: drop }', []],
      ['a column merely named like a ZIP that is not text', '  zip_count: { type: integer, class: attribute }', []],
    ])('%s', (_name, column, expected) => {
      expect(lints(withColumn(column))).toEqual(expected);
    });

    it('asks for zip3 when it is missing', () => {
      const [warning] = warningsOf(parseClinic(withColumn('  zip: { type: string, class: quasi_identifier, deidentified: { truncate: 3 } }')).problems);
      expect(warning?.fix).toMatch(/^add zip3: true/u);
    });
  });

  describe('ages over 89 (45 CFR 164.514(b)(2)(i)(C))', () => {
    it.each([
      ['an age top-coded above 90', { 6: '  birth_date: { type: date, class: quasi_identifier, deidentified: { age_at: seen_at, top_code: 95 } }' }, ['safe-harbor-age 6:68']],
      ['a kept age column', withColumn('  age: { type: integer, class: quasi_identifier }'), ['safe-harbor-age 10:3']],
      ['a kept patient_age column', withColumn('  patient_age: { type: number, class: quasi_identifier, deidentified: keep }'), ['safe-harbor-age 10:71']],
      ['an age clamped above 90', withColumn('  age: { type: integer, class: quasi_identifier, deidentified: { clamp: { max: 99 } } }'), ['safe-harbor-age 10:64']],
      ['an age clamped below only', withColumn('  age: { type: integer, class: quasi_identifier, deidentified: { clamp: { min: 0 } } }'), ['safe-harbor-age 10:64']],
      ['an age bucketed beyond 90', withColumn('  age: { type: integer, class: quasi_identifier, deidentified: { bucket: [18, 65, 100] } }'), ['safe-harbor-age 10:64']],
      ['an age clamped at 90', withColumn('  age: { type: integer, class: quasi_identifier, deidentified: { clamp: { max: 90 } } }'), []],
      ['an age bucketed up to 90', withColumn('  age: { type: integer, class: quasi_identifier, deidentified: { bucket: [18, 65, 90] } }'), []],
      ['a column that only contains "age" in a word', withColumn('  stage: { type: integer, class: attribute }'), []],
      ['an age that is text', withColumn('  age: { type: string, class: attribute }'), []],
    ])('%s', (_name, edits, expected) => {
      expect(lints(edits)).toEqual(expected);
    });
  });

  describe('tokens (45 CFR 164.514(c))', () => {
    it('warn on a tokenized identifier and suggest a surrogate in the same domain', () => {
      const edits = { 4: '  mrn: { type: string, class: identifier, deidentified: { tokenize: { domain: patient } } }' };
      expect(lints(edits)).toEqual(['safe-harbor-token 4:57']);
      const [warning] = warningsOf(parseClinic(edits).problems);
      expect(warning?.message).toContain('does not accept codes derived from it');
      expect(warning?.fix).toMatch(/^use \{ surrogate: \{ domain: patient \} \}/u);
    });

    it('stay silent on surrogates and on tokens of non-identifiers', () => {
      expect(lints(withColumn('  ward_code: { type: string, class: attribute, deidentified: { tokenize: { domain: ward } } }'))).toEqual([]);
    });
  });

  describe('identifier-like names', () => {
    it.each([
      ['a kept email attribute', '  email: { type: string, class: attribute }', ['safe-harbor-identifier 10:3']],
      ['a kept home-address', '  home-address: { type: string, class: sensitive, deidentified: keep }', ['safe-harbor-identifier 10:65']],
      ['a kept surname', '  surname: { type: string, class: quasi_identifier }', ['safe-harbor-identifier 10:3']],
      ['a dropped email', '  email: { type: string, class: attribute, deidentified: drop }', []],
      ['a username (not a listed word)', '  username: { type: string, class: attribute }', []],
    ])('%s', (_name, column, expected) => {
      expect(lints(withColumn(column))).toEqual(expected);
    });
  });

  describe('accept', () => {
    it('silences the accepted rule on that column only', () => {
      const accepted = '  seen: { type: date, class: event_date, deidentified: { generalize: month }, accept: { safe-harbor-dates: "expert determination 2024-05" } }';
      const other = '  seen2: { type: date, class: event_date, deidentified: { generalize: month } }';
      expect(lints(withColumn(`${accepted}\n${other}`))).toEqual(['safe-harbor-dates 11:57']);
    });

    it('does not silence another rule', () => {
      const column = '  zip: { type: string, class: quasi_identifier, accept: { safe-harbor-dates: "n/a" } }';
      expect(lints(withColumn(column))).toEqual(['safe-harbor-zip 10:3']);
    });

    it('needs a reason', () => {
      const result = parseClinic(withColumn('  zip: { type: string, class: quasi_identifier, accept: { safe-harbor-zip: "" } }'));
      expect(errorsOf(result.problems).map((p) => `${p.rule} ${p.line}:${p.column}`)).toEqual(['out-of-range 10:76']);
    });
  });
});
