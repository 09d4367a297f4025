import { describe, expect, it } from 'vitest';
import type { DatasetPolicy } from './model.ts';
import { errorsOf, parseClinic } from './test-fixtures.ts';

const PRIVATE = (bounds: string, extra = '') => ({
  14: `  synthetic: { roles: [analyst, public], privacy: { epsilon: 1${extra}, bounds: { ${bounds} } } }`,
});
const GOOD_BOUNDS = 'birth_date: { min: 1920-01-01, max: 2025-12-31 }, seen_at: { min: 2020-01-01, max: 2025-12-31, bins: 24 }';

describe('zones.synthetic.privacy', () => {
  it('converts with defaults, and measures keep their aggregate bounds', () => {
    const result = parseClinic(PRIVATE(GOOD_BOUNDS));
    expect(errorsOf(result.problems)).toEqual([]);
    const privacy = (result.policy as DatasetPolicy).zones.synthetic!.privacy!;
    expect(privacy).toMatchObject({ epsilon: 1, delta: 1e-6, releasesPerPeriod: 4, period: 'year', maxRowsPerSubject: 1 });
    expect(privacy.bounds).toEqual([
      { column: 'birth_date', min: '1920-01-01', max: '2025-12-31', after: undefined, bins: 16 },
      { column: 'seen_at', min: '2020-01-01', max: '2025-12-31', after: undefined, bins: 24 },
      { column: 'cost', min: 0, max: 1000, after: undefined, bins: 16 },
    ]);
  });

  it('is absent unless written: the ordinary generator', () => {
    expect((parseClinic().policy as DatasetPolicy).zones.synthetic!.privacy).toBeUndefined();
  });

  it.each([
    ['a released date without bounds', 'birth_date: { min: 1920-01-01, max: 2025-12-31 }', 'synthetic-bounds-missing', '"seen_at"', 14],
    ['bounds on a dropped identifier', `${GOOD_BOUNDS}, name: { min: 0, max: 1 }`, 'synthetic-bounds-column', '"name"', 14],
    ['bounds on an unknown column', `${GOOD_BOUNDS}, costs: { min: 0, max: 1 }`, 'synthetic-bounds-column', 'did you mean "cost"', 14],
    ['min above max', 'birth_date: { min: 2025-12-31, max: 1920-01-01 }, seen_at: { min: 2020-01-01, max: 2025-12-31 }', 'synthetic-bounds-value', 'min < max', 14],
    ['numbers for a date', 'birth_date: { min: 0, max: 100 }, seen_at: { min: 2020-01-01, max: 2025-12-31 }', 'synthetic-bounds-value', 'YYYY-MM-DD', 14],
    ['after a column without bounds', 'birth_date: { min: 1920-01-01, max: 2025-12-31 }, seen_at: { after: ward, min: 0, max: 10 }', 'synthetic-bounds-after', 'date column with bounds', 14],
  ])('refuses %s, saying where and how to fix it', (_, bounds, rule, text, line) => {
    const errors = errorsOf(parseClinic(PRIVATE(bounds)).problems);
    const found = errors.find((p) => p.rule === rule);
    expect(found, JSON.stringify(errors)).toBeDefined();
    expect(`${found!.message} ${found!.fix}`).toContain(text);
    expect(found!.line).toBe(line);
    expect(found!.fix.length).toBeGreaterThan(10);
  });

  it('takes max_rows_per_subject from the aggregate zone unless set', () => {
    const edits = { 13: '  aggregate: { roles: [analyst], dimensions: [ward], max_rows_per_subject: 4, measures: { cost: { min: 0, max: 1000 } } }' };
    expect((parseClinic({ ...edits, ...PRIVATE(GOOD_BOUNDS) }).policy as DatasetPolicy).zones.synthetic!.privacy!.maxRowsPerSubject).toBe(4);
    expect((parseClinic({ ...edits, ...PRIVATE(GOOD_BOUNDS, ', max_rows_per_subject: 2') }).policy as DatasetPolicy).zones.synthetic!.privacy!.maxRowsPerSubject).toBe(2);
  });
});
