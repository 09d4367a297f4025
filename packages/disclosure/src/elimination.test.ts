import { createRng, type Rng } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { PRIME, determinedColumns, determinedUnknowns, type SparseRow } from './elimination.ts';
import { denseDetermined, denseRank } from './testing/dense-oracle.ts';

const set = (...ids: string[]): Set<string> => new Set(ids);

describe('determinedUnknowns on hand-made systems', () => {
  it('determines the only unknown of an equation', () => {
    expect(determinedUnknowns([['x', 'known']], set('x'))).toEqual(set('x'));
  });

  it('determines neither of two unknowns in one equation', () => {
    expect(determinedUnknowns([['x', 'y', 'known']], set('x', 'y'))).toEqual(set());
  });

  it('determines none of a fully suppressed 2×2 table with row, column and grand totals', () => {
    const equations = [
      ['a', 'b'],
      ['c', 'd'],
      ['a', 'c'],
      ['b', 'd'],
      ['a', 'b', 'c', 'd'],
    ];
    expect(determinedUnknowns(equations, set('a', 'b', 'c', 'd'))).toEqual(set());
  });

  it('catches an odd cycle where every equation has two unknowns: x1+x2, x2+x3, x1+x3', () => {
    const equations = [
      ['x1', 'x2'],
      ['x2', 'x3'],
      ['x1', 'x3'],
    ];
    expect(determinedUnknowns(equations, set('x1', 'x2', 'x3'))).toEqual(set('x1', 'x2', 'x3'));
  });

  it('leaves an even cycle undetermined: x1+x2, x2+x3, x3+x4, x4+x1', () => {
    const equations = [
      ['x1', 'x2'],
      ['x2', 'x3'],
      ['x3', 'x4'],
      ['x4', 'x1'],
    ];
    expect(determinedUnknowns(equations, set('x1', 'x2', 'x3', 'x4'))).toEqual(set());
  });

  it('finds a determination that needs three equations combined (a 3×2 table with margins)', () => {
    // Rows r1..r3, columns c1, c2. With all six unknown only differences move; pin two cells.
    const equations = [
      ['a1', 'a2'],
      ['b1', 'b2'],
      ['c1', 'c2'],
      ['a1', 'b1', 'c1'],
      ['a2', 'b2', 'c2'],
    ];
    expect(determinedUnknowns(equations, set('a1', 'a2', 'b1', 'b2', 'c1', 'c2'))).toEqual(set());
    // a2 and b2 known: a1 = r1 − a2, b1 = r2 − b2, then c1 = col1 − a1 − b1, c2 = r3 − c1.
    expect(determinedUnknowns(equations, set('a1', 'b1', 'c1', 'c2'))).toEqual(set('a1', 'b1', 'c1', 'c2'));
  });

  it('follows a chain of substitutions', () => {
    const equations = [['x', 'y', 'z'], ['y', 'z'], ['z']];
    expect(determinedUnknowns(equations, set('x', 'y', 'z'))).toEqual(set('x', 'y', 'z'));
  });

  it('treats ids outside the unknowns as known, and ignores unknowns in no equation', () => {
    expect(determinedUnknowns([['x', 'k1', 'k2']], set('x', 'lonely'))).toEqual(set('x'));
  });

  it('counts an id listed twice twice (2x = total still determines x)', () => {
    expect(determinedUnknowns([['x', 'x', 'y']], set('x'))).toEqual(set('x'));
    expect(determinedUnknowns([['x', 'x', 'y'], ['x', 'y']], set('x', 'y'))).toEqual(set('x', 'y'));
  });

  it('handles no equations and no unknowns', () => {
    expect(determinedUnknowns([], set('x'))).toEqual(set());
    expect(determinedUnknowns([['a', 'b']], set())).toEqual(set());
    expect(determinedUnknowns([[]], set('x'))).toEqual(set());
  });
});

describe('determinedColumns', () => {
  it('rejects malformed rows', () => {
    expect(() => determinedColumns([{ cols: [1, 0], vals: [1, 1] }], 2)).toThrow(RangeError);
    expect(() => determinedColumns([{ cols: [2], vals: [1] }], 2)).toThrow(RangeError);
    expect(() => determinedColumns([{ cols: [0], vals: [0] }], 2)).toThrow(RangeError);
    expect(() => determinedColumns([{ cols: [0], vals: [1, 1] }], 2)).toThrow(RangeError);
  });

  it('switches to BigInt when numbers would lose exactness, with the same answer', () => {
    const big = 2 ** 40;
    const rows: SparseRow[] = [
      { cols: [0, 1, 2], vals: [big + 1, 3, 1] },
      { cols: [0, 1, 2], vals: [7, big - 1, 1] },
      { cols: [0, 1, 2], vals: [big + 5, big + 3, 2] },
    ];
    const result = determinedColumns(rows, 3);
    expect(result.arithmetic).toBe('bigint');
    const dense = rows.map((row) => [0, 1, 2].map((c) => row.vals[row.cols.indexOf(c)] ?? 0));
    expect(new Set(result.determined)).toEqual(denseDetermined(dense, 3));
    expect(result.rank).toBe(denseRank(dense));
  });

  it('refuses a certificate for an undetermined column', () => {
    const result = determinedColumns([{ cols: [0, 1], vals: [1, 1] }], 2);
    expect(() => result.certificate(0)).toThrow(RangeError);
  });

  it('agrees with a dense elimination on random systems, in number and BigInt arithmetic', () => {
    const rng = createRng('elimination-random-systems');
    for (let trial = 0; trial < 400; trial++) {
      const { rows, dense, columns } = randomSystem(rng);
      const expected = denseDetermined(dense, columns);
      for (const arithmetic of ['auto', 'bigint'] as const) {
        const result = determinedColumns(rows, columns, { arithmetic });
        expect(new Set(result.determined), `trial ${trial} (${arithmetic})`).toEqual(expected);
        expect(result.rank).toBe(denseRank(dense));
        // Every certificate is an exact combination of the input rows that isolates its column.
        for (const j of result.determined) {
          const combined = new Array<bigint>(columns).fill(0n);
          for (const [r, y] of result.certificate(j)) rows[r]!.cols.forEach((c, i) => (combined[c]! += y * BigInt(rows[r]!.vals[i]!)));
          expect(combined[j]).not.toBe(0n);
          expect(combined.every((value, c) => c === j || value === 0n)).toBe(true);
        }
      }
    }
  });

  it('probe: dependencies, combinations and column solutions hold modulo the prime', () => {
    const rng = createRng('elimination-probe');
    const P = BigInt(PRIME);
    const mod = (x: bigint): bigint => ((x % P) + P) % P;
    for (let trial = 0; trial < 200; trial++) {
      const { rows, columns } = randomSystem(rng);
      const result = determinedColumns(rows, columns);
      const probe = result.probe();
      const combine = (weights: ReadonlyMap<number, number>): bigint[] => {
        const sum = new Array<bigint>(columns).fill(0n);
        for (const [r, w] of weights) rows[r]!.cols.forEach((c, i) => (sum[c] = mod(sum[c]! + BigInt(w) * BigInt(rows[r]!.vals[i]!))));
        return sum;
      };
      expect(combine(probe.leftNull()).every((v) => v === 0n)).toBe(true);
      if (result.determined.length > 0) {
        const g = new Map(result.determined.map((c) => [c, 1 + rng.int(1000)]));
        const y = probe.combination(g)!;
        const sum = combine(y);
        const first = result.determined[0]!;
        const lambda = mod(sum[first]! * BigInt(inverse(g.get(first)!)));
        expect(lambda).not.toBe(0n);
        sum.forEach((v, c) => expect(v).toBe(mod(lambda * BigInt(g.get(c) ?? 0))));
      }
      // A column that is a known combination of existing columns is solved; its solution reproduces it.
      if (columns >= 2) {
        const column = new Map<number, number>();
        rows.forEach((row, r) => {
          const value = (row.vals[row.cols.indexOf(0)] ?? 0) + 2 * (row.vals[row.cols.indexOf(1)] ?? 0);
          if (row.cols.length > 0 && value !== 0) column.set(r, ((value % PRIME) + PRIME) % PRIME);
        });
        const beta = probe.solveColumn(column);
        expect(beta).toBeDefined();
        rows.forEach((row, r) => {
          const value = row.cols.reduce((sum, c, i) => mod(sum + BigInt(row.vals[i]!) * BigInt(beta!.get(c) ?? 0)), 0n);
          expect(value).toBe(BigInt(column.get(r) ?? 0));
        });
      }
    }
  });
});

function randomSystem(rng: Rng): { rows: SparseRow[]; dense: number[][]; columns: number } {
  const columns = 1 + rng.int(14);
  const count = rng.int(22);
  const rows: SparseRow[] = [];
  for (let r = 0; r < count; r++) {
    if (r > 0 && rng.next() < 0.15) {
      rows.push(rows[rng.int(rows.length)]!); // repeated equations occur in cube margins
      continue;
    }
    const cols = [...new Set(Array.from({ length: 1 + rng.int(Math.min(columns, 5)) }, () => rng.int(columns)))].sort((a, b) => a - b);
    const vals = cols.map(() => (rng.next() < 0.85 ? 1 : (1 + rng.int(4)) * (rng.next() < 0.5 ? -1 : 1)));
    rows.push({ cols, vals });
  }
  const dense = rows.map((row) => Array.from({ length: columns }, (_, c) => row.vals[row.cols.indexOf(c)] ?? 0));
  return { rows, dense, columns };
}

function inverse(a: number): number {
  let [r0, r1] = [PRIME, a];
  let [t0, t1] = [0, 1];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return t0 < 0 ? t0 + PRIME : t0;
}
