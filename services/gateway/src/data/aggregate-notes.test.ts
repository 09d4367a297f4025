import { alignWindow } from '@airlock/privacy';
import { describe, expect, it } from 'vitest';
import { aggregateNotes, type NotesInput } from './aggregate-notes.ts';

/*
 * Why each note is safe: every field of NotesInput is the query (groupBy, filters, window), the
 * policy (minCount, the grains it allows, the threshold planned from the cost) or the released
 * answer (its number of cells, how many are marked suppressed, whether it came from the cache),
 * all of which the caller already has. No true figure can reach a note: there is no field for one.
 * test/aggregate-api.int.test.ts checks the same end to end: two datasets one person apart give
 * the same notes.
 */
const weekly1999 = alignWindow('1999-01-01', '1999-12-31', 'week', 'week');
const base: NotesInput = {
  exact: false,
  window: weekly1999,
  groupBy: ['ward', 'sex'],
  filteredOnly: [],
  coarserGrain: 'month',
  fromData: [],
  threshold: 11,
  minCount: 11,
  released: { cells: 848, suppressed: 848, cached: false },
};

describe('aggregateNotes', () => {
  it('explains the widened window (query and policy only)', () => {
    expect(aggregateNotes({ ...base, released: null })).toEqual([`The window was widened: ${weekly1999.explanation}`]);
    expect(aggregateNotes({ ...base, window: alignWindow('1999-01-04', '2000-01-02', 'week', 'week'), released: null })).toEqual([]);
  });

  it('says how many cells are suppressed, why, and which change to the query puts more people in each (released flags, policy, query)', () => {
    expect(aggregateNotes({ ...base, window: null, released: { cells: 16, suppressed: 5, cached: false } })).toEqual([
      '5 of 16 cells are suppressed: their noisy count of subjects was below minCount (11), so they show no figures. ' +
        'A suppressed cell looks the same whether it holds nobody or a few people. A coarser grain (month) or fewer dimensions than ward × sex puts more people in each cell.',
    ]);
    const [note] = aggregateNotes({ ...base, window: null, groupBy: ['ward'], filteredOnly: ['sex'], coarserGrain: null, released: { cells: 8, suppressed: 8, cached: false } });
    expect(note).toMatch(/^All 8 cells are suppressed: .* Not grouping by ward or no filter on sex puts more people in each cell\.$/);
    expect(aggregateNotes({ ...base, window: null, released: { cells: 16, suppressed: 1, cached: false } })[0]).toMatch(/^1 of 16 cells is suppressed: its noisy count .* so it shows no figures\./);
    expect(aggregateNotes({ ...base, window: null, released: { cells: 1, suppressed: 1, cached: false } })[0]).toMatch(/^The one cell is suppressed: its noisy count/);
    expect(aggregateNotes({ ...base, window: null, released: { cells: 16, suppressed: 0, cached: false } })).toEqual([]);
  });

  it('says which groups come from the data and where the rest went, without counting them (plan and query)', () => {
    const notes = aggregateNotes({ ...base, window: null, groupBy: ['diagnosis'], fromData: ['diagnosis', 'period'], threshold: 37, released: { cells: 4, suppressed: 0, cached: true } });
    expect(notes).toEqual([
      'Groups of diagnosis and periods come from the data: a group is shown only when its noisy count of subjects reaches 37, and the people in groups not shown are counted, with noise, in other. ' +
        'Listing the diagnosis values you want in where returns every one of them, shown or suppressed; giving from and to returns every period of the window.',
      'This question was answered before: the same answer, at no new cost.',
    ]);
  });

  it('tells stewards their figures are exact', () => {
    expect(aggregateNotes({ ...base, exact: true, released: { cells: 3, suppressed: 0, cached: false } })).toEqual([
      `The window was widened: ${weekly1999.explanation}`,
      'Exact figures (steward access): no noise, nothing suppressed, no privacy budget spent.',
    ]);
  });
});
