import { describe, expect, it } from 'vitest';
import { qualityReport } from './quality.ts';
import type { SynthColumn, SynthRow } from './types.ts';

const rowsOf = (name: string, values: readonly (string | number | boolean | null)[]): SynthRow[] => values.map((value) => ({ [name]: value }));
const zip = (a: string, b: string, pairs: readonly (readonly [string | number | null, string | number | null])[]): SynthRow[] =>
  pairs.map(([x, y]) => ({ [a]: x, [b]: y }));

describe('qualityReport column shapes', () => {
  it('scores a numeric column by 1 − KS', () => {
    // ECDFs of {1,2,3,4} and {3,4,5,6} differ most at x = 2: 0.5 against 0.
    const report = qualityReport(rowsOf('x', [1, 2, 3, 4]), rowsOf('x', [3, 4, 5, 6]), [{ name: 'x', kind: 'numeric' }]);
    expect(report.columnShapes.columns).toEqual([{ column: 'x', metric: 'ks_complement', score: 0.5 }]);
    expect(report.overall).toBe(0.5); // no pairs: overall is the shapes score
  });

  it('drops nulls before KS and reads dates as days', () => {
    const columns: SynthColumn[] = [{ name: 'd', kind: 'date' }];
    const report = qualityReport(rowsOf('d', ['2024-01-01', '2024-01-02', null]), rowsOf('d', ['2024-01-01', '2024-01-02']), columns);
    expect(report.columnShapes.score).toBe(1);
  });

  it('scores a categorical column by 1 − total variation distance, null a category', () => {
    // p = (a .5, b .5), q = (a .75, b .25): TVD = (.25 + .25) / 2 = .25.
    const columns: SynthColumn[] = [{ name: 'c', kind: 'categorical' }];
    expect(qualityReport(rowsOf('c', ['a', 'a', 'b', 'b']), rowsOf('c', ['a', 'a', 'a', 'b']), columns).columnShapes.score).toBe(0.75);
    // p = (a .5, null .5), q = (a 1): TVD .5.
    expect(qualityReport(rowsOf('c', ['a', null]), rowsOf('c', ['a', 'a']), columns).columnShapes.score).toBe(0.5);
  });

  it('scores booleans like categories', () => {
    const report = qualityReport(rowsOf('b', [true, false, false, false]), rowsOf('b', [true, true, false, false]), [{ name: 'b', kind: 'boolean' }]);
    expect(report.columnShapes.columns[0]).toEqual({ column: 'b', metric: 'tv_complement', score: 0.75 });
  });
});

describe('qualityReport column pair trends', () => {
  const numeric: SynthColumn[] = [
    { name: 'x', kind: 'numeric' },
    { name: 'y', kind: 'numeric' },
  ];

  it('scores two numeric columns by correlation similarity 1 − |Δr| / 2', () => {
    const real = zip('x', 'y', [[1, 2], [2, 4], [3, 6], [4, 8]]); // r = 1
    const opposite = zip('x', 'y', [[1, 8], [2, 6], [3, 4], [4, 2]]); // r = −1
    expect(qualityReport(real, opposite, numeric).columnPairTrends.pairs[0]).toMatchObject({ metric: 'correlation_similarity', score: 0, realCorrelation: 1, syntheticCorrelation: -1 });
    // y = (1, 3, 2, 4): Σdxdy = 4, Σdx² = Σdy² = 5, r = 0.8, score = 1 − 0.2 / 2 = 0.9.
    const weaker = zip('x', 'y', [[1, 1], [2, 3], [3, 2], [4, 4]]);
    expect(qualityReport(real, weaker, numeric).columnPairTrends.score).toBeCloseTo(0.9, 12);
  });

  it('scores two categorical columns by 1 − TVD of the normalized contingency tables', () => {
    const columns: SynthColumn[] = [
      { name: 'a', kind: 'categorical' },
      { name: 'b', kind: 'categorical' },
    ];
    // Real: four cells of .25; synthetic: (p, x) .5 and (q, y) .5. TVD = (.25 + .25 + .25 + .25) / 2 = .5.
    const real = zip('a', 'b', [['p', 'x'], ['p', 'y'], ['q', 'x'], ['q', 'y']]);
    const synthetic = zip('a', 'b', [['p', 'x'], ['p', 'x'], ['q', 'y'], ['q', 'y']]);
    const report = qualityReport(real, synthetic, columns);
    expect(report.columnPairTrends.pairs).toEqual([{ columns: ['a', 'b'], metric: 'contingency_similarity', score: 0.5 }]);
    // Both marginals match exactly, so shapes are 1 and overall = (1 + .5) / 2.
    expect(report.overall).toBe(0.75);
  });

  it('bins a numeric column into 10 equal-width bins of the real range when paired with a category', () => {
    const columns: SynthColumn[] = [
      { name: 'n', kind: 'numeric' },
      { name: 'c', kind: 'categorical' },
    ];
    const real = zip('n', 'c', [[0, 'a'], [100, 'b']]); // bins of width 10: 0 → bin 0, 100 → bin 9
    const score = (synthetic: SynthRow[]): number => qualityReport(real, synthetic, columns).columnPairTrends.score;
    expect(score(zip('n', 'c', [[-5, 'a'], [150, 'b']]))).toBe(1); // outside the range: clipped to the end bins
    expect(score(zip('n', 'c', [[9.9, 'a'], [90, 'b']]))).toBe(1);
    expect(score(zip('n', 'c', [[5, 'b'], [95, 'a']]))).toBe(0);
    expect(score(zip('n', 'c', [[50, 'a'], [100, 'b']]))).toBe(0.5); // (bin 5, a) replaces (bin 0, a)
  });

  it('falls back to contingency when a correlation is undefined', () => {
    const real = zip('x', 'y', [[1, 5], [2, 5]]); // y constant
    const report = qualityReport(real, real, numeric);
    expect(report.columnPairTrends.pairs[0]).toMatchObject({ metric: 'contingency_similarity', score: 1 });
  });

  it('leaves identifier columns out and averages shapes and pairs', () => {
    const columns: SynthColumn[] = [
      { name: 'id', kind: 'identifier', fake: 'id' },
      { name: 'c', kind: 'categorical' },
      { name: 'x', kind: 'numeric' },
    ];
    const real: SynthRow[] = [
      { id: 'r1', c: 'a', x: 1 },
      { id: 'r2', c: 'b', x: 2 },
    ];
    const synthetic: SynthRow[] = [
      { id: 's1', c: 'a', x: 1 },
      { id: 's2', c: 'a', x: 2 },
    ];
    const report = qualityReport(real, synthetic, columns);
    expect(report.columnShapes.columns.map((shape) => shape.column)).toEqual(['c', 'x']);
    expect(report.columnPairTrends.pairs.map((pair) => pair.columns)).toEqual([['c', 'x']]);
    // c: TVD .5 → .5; x: KS 0 → 1; shapes .75. Pair: real (a, bin0) (b, bin9), synthetic (a, bin0) (a, bin9): TVD .5 → .5.
    expect(report.columnShapes.score).toBe(0.75);
    expect(report.columnPairTrends.score).toBe(0.5);
    expect(report.overall).toBe(0.625);
  });
});
