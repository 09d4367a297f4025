import { describe, expect, it } from 'vitest';
import { formatProblem, sortProblems } from './problem.ts';
import { closestMatch, editDistance, suggestionFix } from './suggest.ts';
import type { PolicyProblem } from './model.ts';

const base: PolicyProblem = { severity: 'error', file: 'policies/x.yaml', line: 12, column: 5, message: 'bad "v"', fix: 'write "w".', rule: 'r' };

describe('formatProblem', () => {
  it('prints one line with the position, severity, message and fix', () => {
    expect(formatProblem(base)).toBe('policies/x.yaml:12:5: error: bad "v". Fix: write "w"');
    expect(formatProblem({ ...base, severity: 'warning', message: 'm.' })).toBe('policies/x.yaml:12:5: warning: m. Fix: write "w"');
  });
});

describe('sortProblems', () => {
  it('orders by file, line, column, then errors before warnings', () => {
    const problems: PolicyProblem[] = [
      { ...base, file: 'b.yaml', line: 1 },
      { ...base, line: 3, severity: 'warning' },
      { ...base, line: 3 },
      { ...base, line: 2, column: 9 },
      { ...base, line: 2, column: 1 },
    ];
    expect(sortProblems(problems).map((p) => `${p.file}:${p.line}:${p.column}:${p.severity}`)).toEqual([
      'b.yaml:1:5:error',
      'policies/x.yaml:2:1:error',
      'policies/x.yaml:2:9:error',
      'policies/x.yaml:3:5:error',
      'policies/x.yaml:3:5:warning',
    ]);
  });
});

describe('suggestions', () => {
  it.each([
    ['min_cout', ['roles', 'min_count'], 'min_count'],
    ['mni_count', ['min_count'], 'min_count'],
    ['int', ['string', 'integer', 'number'], 'integer'],
    ['Analyst', ['analyst', 'ml'], 'analyst'],
    ['weak', ['day', 'week', 'month'], 'week'],
    ['fortnight', ['day', 'week', 'month'], undefined],
    ['x', ['ab', 'cd'], undefined],
  ])('%s → %s', (word, candidates, expected) => {
    expect(closestMatch(word, candidates)).toBe(expected);
  });

  it('measures edits with transpositions', () => {
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('abc', 'acb')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('falls back to listing the candidates', () => {
    expect(suggestionFix('zzz', ['a', 'b'], 'known keys')).toBe('use one of the known keys: "a", "b"');
    expect(suggestionFix('aa', ['a', 'b'], 'known keys')).toBe('did you mean "a"? Known keys: "a", "b"');
    expect(suggestionFix('aa', [], 'known keys')).toBe('remove it');
  });
});
