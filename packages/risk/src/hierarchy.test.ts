import { describe, expect, it } from 'vitest';
import { buildHierarchy, type HierarchySpec } from './hierarchy.ts';

function labels(spec: HierarchySpec, values: readonly (string | null)[]): (string | null)[][] {
  const hierarchy = buildHierarchy(spec, values);
  return hierarchy.levels.map((level) => values.map((_, code) => level.labels[level.map[code]!]!));
}

describe('hierarchies', () => {
  it('bands ages 5, 10, 20 years wide, keeps the top code as 90+, and ends at *', () => {
    expect(labels({ kind: 'numeric', bands: [5, 10, 20], topCode: 90 }, ['42', '87', '90', null])).toEqual([
      ['42', '87', '90', null],
      ['40-44', '85-89', '90+', null],
      ['40-49', '80-89', '90+', null],
      ['40-59', '80+', '90+', null],
      ['*', '*', '*', '*'],
    ]);
  });

  it('shortens ZIP prefixes one digit at a time', () => {
    expect(labels({ kind: 'prefix', keep: [2, 1] }, ['941', '945', '100'])).toEqual([
      ['941', '945', '100'],
      ['94*', '94*', '10*'],
      ['9**', '9**', '1**'],
      ['*', '*', '*'],
    ]);
  });

  it('climbs the calendar from the values’ grain: month → quarter → year; day → month first', () => {
    expect(labels({ kind: 'date' }, ['2024-03', '2024-05', '2025-01'])).toEqual([
      ['2024-03', '2024-05', '2025-01'],
      ['2024-Q1', '2024-Q2', '2025-Q1'],
      ['2024', '2024', '2025'],
      ['*', '*', '*'],
    ]);
    expect(labels({ kind: 'date' }, ['2024-03-15', '2024-03-20', '2024-04-01'])[1]).toEqual(['2024-03', '2024-03', '2024-04']);
  });

  it('merges neighbouring buckets in pairs', () => {
    expect(labels({ kind: 'bucket', edges: [0, 18, 65] }, ['<0', '[0,18)', '[18,65)', '>=65'])).toEqual([
      ['<0', '[0,18)', '[18,65)', '>=65'],
      ['<18', '<18', '>=18', '>=18'],
      ['*', '*', '*', '*'],
    ]);
  });

  it('groups declared categories, leaves unlisted values alone, and honours max_level', () => {
    const groups = new Map([
      ['surgery', 'surgical'],
      ['orthopedics', 'surgical'],
    ]);
    expect(labels({ kind: 'groups', levels: [groups] }, ['surgery', 'orthopedics', 'icu'])).toEqual([
      ['surgery', 'orthopedics', 'icu'],
      ['surgical', 'surgical', 'icu'],
      ['*', '*', '*'],
    ]);
    expect(labels({ kind: 'groups', levels: [groups], maxLevel: 1 }, ['surgery', 'orthopedics', 'icu'])).toHaveLength(2);
    expect(labels({ kind: 'flat', maxLevel: 0 }, ['F', 'M'])).toEqual([['F', 'M']]);
  });

  it('gives each level the normalized certainty penalty (covered − 1) / (values − 1)', () => {
    const h = buildHierarchy({ kind: 'numeric', bands: [5] }, ['30', '31', '45', '46', '47']);
    expect([...h.levels[0]!.penalty]).toEqual([0, 0, 0, 0, 0]);
    // 30-34 covers 2 of 5 values, 45-49 covers 3.
    expect([...h.levels[1]!.penalty]).toEqual([1 / 4, 2 / 4]);
    expect([...h.levels[2]!.penalty]).toEqual([1]);
  });

  it('names the value a numeric hierarchy cannot read', () => {
    expect(() => buildHierarchy({ kind: 'numeric', bands: [5] }, ['12', 'twelve'])).toThrow(/"twelve" is not a number/u);
  });
});
