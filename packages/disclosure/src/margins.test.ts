import { isAirlockError } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { marginId, standardMargins, type CubeCellKey } from './margins.ts';

const byId = (margins: ReturnType<typeof standardMargins>): Map<string, string[]> => new Map(margins.map((m) => [m.id, m.members]));

describe('marginId', () => {
  it('formats kept dimensions, period and key exactly', () => {
    expect(marginId({ keptDims: [0, 2], values: ['F', 'north'], period: '2024-Q1' })).toBe('dims=0,2|period=2024-Q1|key=["F","north"]');
    expect(marginId({ keptDims: [1], values: [null] })).toBe('dims=1|key=[null]');
    expect(marginId({ keptDims: [], values: [], period: '*' })).toBe('dims=|period=*|key=[]');
  });

  it('rejects values that do not match the kept dimensions', () => {
    expect(() => marginId({ keptDims: [0, 1], values: ['F'] })).toThrow(/one value per kept dimension/);
  });
});

describe('standardMargins', () => {
  it('returns nothing for an empty response', () => {
    expect(standardMargins([])).toEqual([]);
  });

  it('builds every roll-up of a 2×2 table without a period: 2^2 − 1 subsets', () => {
    const cells: CubeCellKey[] = [
      { id: 'a', dims: ['F', 'north'] },
      { id: 'b', dims: ['F', 'south'] },
      { id: 'c', dims: ['M', 'north'] },
      { id: 'd', dims: ['M', 'south'] },
    ];
    const margins = standardMargins(cells);
    expect(byId(margins)).toEqual(
      new Map([
        ['dims=0|key=["F"]', ['a', 'b']],
        ['dims=0|key=["M"]', ['c', 'd']],
        ['dims=1|key=["north"]', ['a', 'c']],
        ['dims=1|key=["south"]', ['b', 'd']],
        ['dims=|key=[]', ['a', 'b', 'c', 'd']],
      ]),
    );
    expect(margins.find((m) => m.id === 'dims=0|key=["F"]')).toEqual({ id: 'dims=0|key=["F"]', members: ['a', 'b'], dropDims: [1], dropPeriod: false });
    expect(margins.map((m) => m.id)).toEqual([...margins.map((m) => m.id)].sort());
  });

  it('keeps, drops and coarsens the period, combined with every dimension subset', () => {
    const cells: CubeCellKey[] = [
      { id: 'F-north-03', dims: ['F', 'north'], period: '2024-03' },
      { id: 'M-north-03', dims: ['M', 'north'], period: '2024-03' },
      { id: 'F-null-04', dims: ['F', null], period: '2024-04' },
    ];
    const quarterAndYear = (month: string): string[] => [month <= '2024-03' ? '2024-Q1' : '2024-Q2', '2024'];
    const margins = standardMargins(cells, { periodParents: quarterAndYear });
    const ids = byId(margins);
    // Grand totals: over everything, and per coarser bucket.
    expect(ids.get('dims=|period=*|key=[]')).toEqual(['F-north-03', 'M-north-03', 'F-null-04']);
    expect(ids.get('dims=|period=2024|key=[]')).toEqual(['F-north-03', 'M-north-03', 'F-null-04']);
    expect(ids.get('dims=|period=2024-Q1|key=[]')).toEqual(['F-north-03', 'M-north-03']);
    // Dropping a dimension at the query's own grain, and the period alone.
    expect(ids.get('dims=1|period=2024-03|key=["north"]')).toEqual(['F-north-03', 'M-north-03']);
    expect(ids.get('dims=0,1|period=*|key=["F",null]')).toEqual(['F-null-04']);
    expect(ids.get('dims=0|period=2024|key=["F"]')).toEqual(['F-north-03', 'F-null-04']);
    // The cells themselves are not margins.
    expect(ids.has('dims=0,1|period=2024-03|key=["F","north"]')).toBe(false);
    const kept = margins.find((m) => m.id === 'dims=1|period=2024-03|key=["north"]');
    expect(kept).toMatchObject({ dropDims: [0], dropPeriod: false, period: '2024-03' });
    const coarse = margins.find((m) => m.id === 'dims=0|period=2024-Q2|key=["F"]');
    expect(coarse).toMatchObject({ dropDims: [1], dropPeriod: false, coarserPeriod: '2024-Q2', members: ['F-null-04'] });
    expect(margins.find((m) => m.id === 'dims=|period=*|key=[]')).toMatchObject({ dropDims: [0, 1], dropPeriod: true });
    // 4 dimension subsets × (keep, drop, Q, year) − the cells themselves: 3 + 4·3 families.
    const families = new Set(margins.map((m) => `${m.dropDims.join(',')}|${m.dropPeriod}|${m.period !== undefined}|${m.coarserPeriod?.length ?? 0}`));
    expect(families.size).toBe(3 + 4 * 3);
  });

  it('treats the period as a group of its own even without parents', () => {
    const cells: CubeCellKey[] = [
      { id: 'x', dims: ['a'], period: '2024-W09' },
      { id: 'y', dims: ['a'], period: '2024-W10' },
    ];
    expect(byId(standardMargins(cells))).toEqual(
      new Map([
        ['dims=0|period=*|key=["a"]', ['x', 'y']],
        ['dims=|period=*|key=[]', ['x', 'y']],
        ['dims=|period=2024-W09|key=[]', ['x']],
        ['dims=|period=2024-W10|key=[]', ['y']],
      ]),
    );
  });

  it('rejects inconsistent cells and unusable labels', () => {
    const rejects = (run: () => unknown, fragment: string): void => {
      let caught: unknown;
      try {
        run();
      } catch (error) {
        caught = error;
      }
      expect(isAirlockError(caught, 'BAD_REQUEST')).toBe(true);
      expect((caught as Error).message).toContain(fragment);
    };
    rejects(() => standardMargins([{ id: 'a', dims: ['x'] }, { id: 'a', dims: ['y'] }]), 'appears twice');
    rejects(() => standardMargins([{ id: 'a', dims: ['x'] }, { id: 'b', dims: ['x'] }]), 'repeats the group key');
    rejects(() => standardMargins([{ id: 'a', dims: ['x'] }, { id: 'b', dims: ['x', 'y'] }]), 'has 2 dimensions');
    rejects(() => standardMargins([{ id: 'a', dims: ['x'], period: '2024-01' }, { id: 'b', dims: ['y'] }]), 'lacks a period');
    rejects(() => standardMargins([{ id: 'a', dims: ['x'], period: '2024|01' }]), 'without "|"');
    rejects(() => standardMargins([{ id: 'a', dims: ['x'], period: '*' }]), 'not "*"');
    rejects(
      () => standardMargins([{ id: 'a', dims: ['x'], period: '2024-01' }, { id: 'b', dims: ['x'], period: '2024-02' }], { periodParents: () => ['2024-02'] }),
      'is a cell period label',
    );
    rejects(() => standardMargins([{ id: 'a', dims: ['1', '2', '3', '4', '5', '6', '7'] }]), 'at most 6');
  });
});
