import { isAirlockError } from '@airlock/core';
import { planAggregate, rhoForAccuracy, type PlanInput } from '@airlock/privacy';
import { describe, expect, it } from 'vitest';
import { cellSuggestions, costExplanation, tooManyCells, tooManyGroups, type CellShape, type CostSuggestion } from './aggregate-refusals.ts';

// Weekly 1999 (1998-12-28..2000-01-02: 53 weeks) by a 12-valued and a 3-valued dimension.
const WEEKLY_1999: CellShape = {
  parts: [
    { kind: 'dimension', name: 'ward', values: 12 },
    { kind: 'dimension', name: 'sex', values: 3 },
    { kind: 'period', grain: 'week', periods: 53 },
  ],
  maxCells: 1000,
  coarserGrains: [
    { grain: 'month', periods: 12 },
    { grain: 'quarter', periods: 4 },
    { grain: 'year', periods: 1 },
  ],
  window: { from: '1998-12-28', to: '2000-01-02' },
};

const cellsOf = (shape: CellShape, s: { groupBy: string[]; grain: string | null; window?: { from: string; to: string } }) => {
  const dims = shape.parts.filter((p) => p.kind === 'dimension' && s.groupBy.includes(p.name)).reduce((n, p) => n * (p.kind === 'dimension' ? p.values! : 1), 1);
  const period = shape.parts.find((p) => p.kind === 'period');
  if (!period || period.kind !== 'period') return dims;
  if (s.window) return dims * Math.round((Date.parse(s.window.to) - Date.parse(s.window.from) + 86_400_000) / (7 * 86_400_000));
  const periods = s.grain === period.grain ? period.periods! : shape.coarserGrains.find((g) => g.grain === s.grain)!.periods;
  return dims * periods;
};

describe('tooManyCells', () => {
  it('names each dimension with its values and the periods, multiplied out, and the single changes that fit', () => {
    const error = tooManyCells(WEEKLY_1999);
    expect(isAirlockError(error, 'BAD_REQUEST')).toBe(true);
    expect(error.message).toBe(
      'This query would return 1,908 cells, more than the 1,000 allowed: ward (12 values) × sex (3) × week (53 periods) = 1,908 cells > 1,000. ' +
        'To fit: drop sex (636 cells), or drop ward (159 cells), or use grain month (12 months → 432 cells), or shorten the window to 1998-12-28..1999-07-04 (27 weeks → 972 cells).',
    );
    expect(error.details).toMatchObject({ reason: 'TOO_MANY_CELLS', cells: 1908, maxCells: 1000, parts: WEEKLY_1999.parts });
    expect(error.details!['suggestions']).toEqual([
      { groupBy: ['ward'], grain: 'week', cells: 636 },
      { groupBy: ['sex'], grain: 'week', cells: 159 },
      { groupBy: ['ward', 'sex'], grain: 'month', cells: 432 },
      { groupBy: ['ward', 'sex'], grain: 'week', window: { from: '1998-12-28', to: '1999-07-04' }, cells: 972 },
    ]);
  });

  it('every suggestion fits and its cell count is what the changed query would have', () => {
    for (const s of cellSuggestions(WEEKLY_1999)) {
      expect(s.cells).toBeLessThanOrEqual(WEEKLY_1999.maxCells);
      expect(cellsOf(WEEKLY_1999, s)).toBe(s.cells);
    }
  });

  it('when no single change fits, offers the fewest changes that do', () => {
    // Monthly is 432 cells, yearly 36, dropping either dimension still leaves 53 weeks: no single change fits 30.
    const shape: CellShape = { ...WEEKLY_1999, maxCells: 30, window: null };
    const suggestions = cellSuggestions(shape);
    expect(suggestions).toEqual([
      { groupBy: ['ward'], grain: 'year', cells: 12 },
      { groupBy: ['sex'], grain: 'quarter', cells: 12 },
    ]);
    expect(tooManyCells(shape).message).toContain('To fit: drop sex and use grain year (1 year → 12 cells), or drop ward and use grain quarter (4 quarters → 12 cells).');
  });

  it('says so when nothing but a filter would fit', () => {
    const shape: CellShape = { parts: [{ kind: 'period', grain: 'year', periods: 30 }], maxCells: 10, coarserGrains: [], window: null };
    expect(cellSuggestions(shape)).toEqual([]);
    expect(tooManyCells(shape).message).toMatch(/No coarser grain or fewer dimensions fits: filter a dimension to fewer values \(where\) or shorten the window\.$/);
  });
});

describe('tooManyGroups', () => {
  it('names the dimensions whose values come from the data and how to bound them', () => {
    const error = tooManyGroups({
      dataset: 'admissions',
      parts: [
        { kind: 'dimension', name: 'diagnosis', values: null },
        { kind: 'dimension', name: 'ward', values: 8 },
        { kind: 'period', grain: 'day', periods: null },
      ],
      maxGroups: 200_000,
    });
    expect(isAirlockError(error, 'BAD_REQUEST')).toBe(true);
    expect(error.message).toBe(
      'Grouping admissions by diagnosis (values from the data) × ward (8) × day (periods from the data) has more than 200,000 groups, too many to release. ' +
        'diagnosis and day periods take their values from the data (the policy lists none). ' +
        'To fit: drop diagnosis or list the diagnosis values you need in where; give from and to, or use a grain coarser than day.',
    );
    expect(error.details).toMatchObject({ reason: 'TOO_MANY_GROUPS', maxGroups: 200_000, fromData: ['diagnosis', 'day periods'] });
  });
});

describe('costExplanation', () => {
  // The demo policy's aggregate zone: 6 rows per patient, cost clamped to [0, 100000].
  const base: Omit<PlanInput, 'rho'> = {
    maxRowsPerSubject: 6,
    rows: true,
    sums: [{ column: 'cost', min: 0, max: 100_000 }],
    partitionSelection: false,
    delta: 1e-7,
    minCount: 11,
  };

  it('splits ρ over the statistics released and says that cells do not change it', () => {
    const { text, parts } = costExplanation({ plan: base, cost: { rho: 0.3 }, rho: 0.3, available: 0.2 });
    expect(parts).toEqual([
      { statistic: 'subjects', rho: expect.closeTo(0.1, 9) },
      { statistic: 'rows', rho: expect.closeTo(0.1, 9) },
      { statistic: 'sum', measure: 'cost', rho: expect.closeTo(0.1, 9) },
    ]);
    expect(text).toMatch(/^Its ρ is shared by what it releases: subjects 0.1, rows 0.1, sum of cost 0.1; the number of cells does not change it \(each person counts in at most 6 cells\)\./);
  });

  it('for a fixed cost, suggests the cost that is left and the accuracy it gives, with and without the other statistics', () => {
    const { text, suggestions } = costExplanation({ plan: base, cost: undefined, rho: 0.1, available: 0.0871234 });
    const lower = suggestions[0] as Extract<CostSuggestion, { change: 'cost' }>;
    expect(lower).toMatchObject({ change: 'cost', rho: 0.0871 });
    expect(lower.subjectsHalfWidth).toBe(planAggregate({ ...base, rho: 0.0871 }).subjects.halfWidth95);
    expect(lower.subjectsOnlyHalfWidth).toBe(planAggregate({ ...base, rows: false, sums: [], rho: 0.0871 }).subjects.halfWidth95);
    expect(lower.subjectsOnlyHalfWidth!).toBeLessThan(lower.subjectsHalfWidth);
    expect(text).toContain(`To fit: cost: 0.0871 (about ±${lower.subjectsHalfWidth} people per cell; ±${lower.subjectsOnlyHalfWidth} if you ask for subjects only).`);
  });

  it('for an accuracy target, suggests fewer statistics for the same target and the finest target that fits; each fits', () => {
    const target = { statistic: 'subjects' as const, halfWidth: 10 };
    const rho = rhoForAccuracy(base, target);
    const available = rho / 2;
    const { text, suggestions } = costExplanation({ plan: base, cost: { accuracy: target }, rho, available });
    const fewer = suggestions.find((s) => s.change === 'statistics')!;
    expect(fewer).toMatchObject({ keep: ['subjects'], rho: expect.closeTo(rho / 3, 9) });
    const coarser = suggestions.find((s): s is Extract<CostSuggestion, { change: 'accuracy' }> => s.change === 'accuracy')!;
    expect(rhoForAccuracy(base, { ...target, halfWidth: coarser.halfWidth })).toBeLessThanOrEqual(available);
    // The finest whole number of people that fits.
    expect(rhoForAccuracy(base, { ...target, halfWidth: coarser.halfWidth - 1 })).toBeGreaterThan(available);
    for (const s of suggestions) expect(s.rho).toBeLessThanOrEqual(available);
    expect(text).toContain('ask for subjects only (ρ = ');
    expect(text).toContain(`for the same ±10 people), or ask for ±${coarser.halfWidth} people (halfWidth: ${coarser.halfWidth}, ρ = `);
  });

  it('suggests nothing when nothing is left', () => {
    expect(costExplanation({ plan: base, cost: undefined, rho: 0.1, available: 0 }).suggestions).toEqual([]);
  });
});
