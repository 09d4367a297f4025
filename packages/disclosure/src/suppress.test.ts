import { createRng, isAirlockError } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { standardMargins } from './margins.ts';
import { suppressCells, type SuppressionInput, type SuppressionMargin, type SuppressionResult } from './suppress.ts';
import { attackerDetermines } from './testing/dense-oracle.ts';

/** Cells with weight = distinct subjects; margins with the sum of their members' subjects unless given. */
function table(subjects: Record<string, number>, margins: (readonly string[] | { members: readonly string[]; distinctSubjects: number })[], minCount = 3): SuppressionInput {
  return {
    cells: Object.entries(subjects).map(([id, distinctSubjects]) => ({ id, distinctSubjects, weight: distinctSubjects })),
    margins: margins.map((margin, i): SuppressionMargin => {
      const members = 'members' in margin ? margin.members : margin;
      const distinctSubjects = 'members' in margin ? margin.distinctSubjects : members.reduce((sum, id) => sum + subjects[id]!, 0);
      return { id: `m${i}`, distinctSubjects, members };
    }),
    minCount,
  };
}

const suppressed = (result: SuppressionResult): string[] =>
  [...result.status].filter(([, status]) => status.kind === 'suppressed').map(([id]) => id).sort();
const complementary = (result: SuppressionResult): string[] =>
  [...result.status].filter(([, s]) => s.kind === 'suppressed' && s.reason === 'complementary').map(([id]) => id).sort();

/** The attacker's check on a result: suppressed cells the public margins still pin down. */
function leaks(input: SuppressionInput, result: SuppressionResult): Set<string> {
  const publicMargins = input.margins.filter((m) => m.distinctSubjects >= input.minCount);
  return attackerDetermines(new Set(suppressed(result)), publicMargins);
}

describe('suppressCells on hand-made tables', () => {
  it('returns an empty result for an empty response', () => {
    const result = suppressCells({ cells: [], margins: [], minCount: 5 });
    expect(result.status.size).toBe(0);
    expect(result).toMatchObject({ primary: 0, complementary: 0, exposed: [] });
    expect(result.rounds).toBeGreaterThanOrEqual(1);
  });

  it('suppresses nothing when no cell is below minCount', () => {
    const input = table({ a: 5, b: 9, c: 3 }, [['a', 'b', 'c'], ['a', 'b']]);
    const result = suppressCells(input);
    expect(suppressed(result)).toEqual([]);
    expect([...result.status.values()].every((s) => s.kind === 'released')).toBe(true);
  });

  it('total minus one group: a 1-D table with a public total and one small cell gets one complement, the lightest', () => {
    const input = table({ north: 40, south: 2, east: 12, west: 30 }, [['north', 'south', 'east', 'west']]);
    const result = suppressCells(input);
    expect(result.status.get('south')).toEqual({ kind: 'suppressed', reason: 'below_min_count' });
    expect(result.status.get('east')).toEqual({ kind: 'suppressed', reason: 'complementary' });
    expect(result.status.get('north')).toEqual({ kind: 'released' });
    expect(result).toMatchObject({ primary: 1, complementary: 1, exposed: [] });
    expect(leaks(input, result)).toEqual(new Set());
  });

  it('needs no complement when two small cells share the only margin', () => {
    const input = table({ a: 1, b: 2, c: 50 }, [['a', 'b', 'c']]);
    expect(suppressed(suppressCells(input))).toEqual(['a', 'b']);
  });

  it('needs no complement when the total itself is below minCount', () => {
    const input = table({ a: 1, b: 1 }, [['a', 'b']]);
    expect(suppressed(suppressCells(input))).toEqual(['a', 'b']);
  });

  it('suppresses the whole 2×2 table with row, column and grand totals around one small cell', () => {
    const input = table({ a: 1, b: 10, c: 10, d: 10 }, [['a', 'b'], ['c', 'd'], ['a', 'c'], ['b', 'd'], ['a', 'b', 'c', 'd']]);
    const result = suppressCells(input);
    expect(suppressed(result)).toEqual(['a', 'b', 'c', 'd']);
    expect(result).toMatchObject({ primary: 1, complementary: 3 });
    expect(leaks(input, result)).toEqual(new Set());
  });

  it('protects one small cell of a 3×3 table with the cheapest rectangle', () => {
    // Rows r0..r2 × columns k0..k2; cell "r0k0" is small. Light cells r0k2, r2k0, r2k2 make the
    // rectangle r0k0, r0k2, r2k0, r2k2 the cheapest pattern (any rectangle needs 3 complements).
    const subjects: Record<string, number> = {};
    for (let r = 0; r < 3; r++) for (let k = 0; k < 3; k++) subjects[`r${r}k${k}`] = 20;
    subjects.r0k0 = 1;
    subjects.r0k2 = 5;
    subjects.r2k0 = 6;
    subjects.r2k2 = 7;
    const cellsOf = (predicate: (r: number, k: number) => boolean): string[] => Object.keys(subjects).filter((id) => predicate(Number(id[1]), Number(id[3])));
    const margins = [
      ...[0, 1, 2].map((r) => cellsOf((rr) => rr === r)),
      ...[0, 1, 2].map((k) => cellsOf((_, kk) => kk === k)),
      Object.keys(subjects),
    ];
    const input = table(subjects, margins);
    const result = suppressCells(input);
    expect(suppressed(result)).toEqual(['r0k0', 'r0k2', 'r2k0', 'r2k2']);
    expect(leaks(input, result)).toEqual(new Set());
  });

  it('catches a determination no single margin shows, and breaks it with one complement', () => {
    // a, b, c small; every margin has two of them, so none gives one away by itself, but together
    // they do (a+b, b+c, a+c known ⇒ each known). Any one of p, q, r breaks the odd cycle; r is lightest.
    const input = table({ a: 1, b: 1, c: 1, p: 9, q: 8, r: 7 }, [
      ['a', 'b', 'p'],
      ['b', 'c', 'q'],
      ['a', 'c', 'r'],
    ]);
    expect(attackerDetermines(new Set(['a', 'b', 'c']), input.margins)).toEqual(new Set(['a', 'b', 'c'])); // the trap is real
    const result = suppressCells(input);
    expect(complementary(result)).toEqual(['r']);
    expect(result.rounds).toBe(2);
    expect(leaks(input, result)).toEqual(new Set());
    expect(result.exposed).toEqual([]);
  });

  it('reports a cell that a combination of margins pins down even with every cell suppressed', () => {
    // (a+b+dc+c+da) − (a+b+dc) = c+da, and b+c+da is public too, so b = difference of margins.
    const input = table({ a: 1, b: 1, c: 1, da: 9, db: 9, dc: 9 }, [
      ['a', 'b', 'dc'],
      ['b', 'c', 'da'],
      ['a', 'c', 'db'],
      ['a', 'b', 'dc', 'c', 'da'],
    ]);
    const result = suppressCells(input);
    expect(result.exposed).toEqual(['b']);
    expect(attackerDetermines(new Set(Object.keys({ a: 0, b: 0, c: 0, da: 0, db: 0, dc: 0 })), input.margins)).toEqual(new Set(['b']));
    // Every other suppressed cell is protected.
    expect(leaks(input, result)).toEqual(new Set(['b']));
  });

  it('reports cells the public margins give away whatever is suppressed (x1+x2, x2+x3, x1+x3)', () => {
    const input = table({ x1: 1, x2: 1, x3: 1 }, [
      { members: ['x1', 'x2'], distinctSubjects: 3 },
      { members: ['x2', 'x3'], distinctSubjects: 3 },
      { members: ['x1', 'x3'], distinctSubjects: 3 },
    ]);
    const result = suppressCells(input);
    expect(suppressed(result)).toEqual(['x1', 'x2', 'x3']);
    expect(result.exposed).toEqual(['x1', 'x2', 'x3']);
    expect(result.complementary).toBe(0);
  });

  it('never uses a cell that is public on its own as a complement, and reports what that exposes', () => {
    // "b" is also a margin by itself (e.g. the only cell of its group in a coarser query).
    const light = table({ a: 1, b: 4, c: 30 }, [['a', 'b', 'c'], ['b']]);
    const result = suppressCells(light);
    expect(result.status.get('b')).toEqual({ kind: 'released' });
    expect(result.status.get('c')).toEqual({ kind: 'suppressed', reason: 'complementary' });

    const cornered = table({ a: 1, b: 4 }, [['a', 'b'], ['b']]);
    const exposedResult = suppressCells(cornered);
    expect(exposedResult.exposed).toEqual(['a']);
    expect(exposedResult.status.get('b')).toEqual({ kind: 'released' });
  });

  it('reports the exposure a single-valued dimension causes with standard margins', () => {
    // Two cells differing in dimension 0 only; dimension 1 has one value. The other query grouped
    // by dimension 0 alone publishes "b" by itself, and the total is public: a = total − b.
    const keys = [
      { id: 'a', dims: ['x', 'only'] },
      { id: 'b', dims: ['y', 'only'] },
    ];
    const subjects: Record<string, number> = { a: 1, b: 9 };
    const input: SuppressionInput = {
      cells: keys.map((k) => ({ id: k.id, distinctSubjects: subjects[k.id]!, weight: subjects[k.id]! })),
      margins: standardMargins(keys).map((m) => ({ id: m.id, members: m.members, distinctSubjects: m.members.reduce((sum, id) => sum + subjects[id]!, 0) })),
      minCount: 3,
    };
    const result = suppressCells(input);
    expect(result.exposed).toEqual(['a']);
    expect(result.status.get('b')).toEqual({ kind: 'released' });
  });

  it('treats a single-member margin as its cell: public only when the cell is', () => {
    // The margin claims 9 subjects but is the same rows as "a" (1 subject): not public.
    const input = table({ a: 1, b: 10, c: 10 }, [{ members: ['a'], distinctSubjects: 9 }]);
    const result = suppressCells(input);
    expect(suppressed(result)).toEqual(['a']);
    expect(result.exposed).toEqual([]);
  });

  it('counts a margin with fewer subjects than one of its members as public (inconsistent counts, safe side)', () => {
    const input = table({ a: 1, b: 10, c: 10 }, [{ members: ['a', 'b', 'c'], distinctSubjects: 2 }]);
    expect(suppressed(suppressCells(input))).toEqual(['a', 'b']);
  });

  it('leaves a small cell in no public margin alone', () => {
    const input = table({ a: 1, b: 10, c: 10 }, [['b', 'c']]);
    const result = suppressCells(input);
    expect(suppressed(result)).toEqual(['a']);
    expect(result.complementary).toBe(0);
  });

  it('copes with every cell suppressed', () => {
    const input = table({ a: 1, b: 2, c: 1 }, [{ members: ['a', 'b', 'c'], distinctSubjects: 4 }]);
    const result = suppressCells(input);
    expect(suppressed(result)).toEqual(['a', 'b', 'c']);
    expect(result).toMatchObject({ primary: 3, complementary: 0, exposed: [] });
  });

  it('cascades: a complement that is itself alone in another margin gets its own complement', () => {
    // a small; the lightest complement in the total is b, but b is the only unknown of margin [b, c].
    const input = table({ a: 1, b: 5, c: 40, d: 50 }, [['a', 'b', 'c', 'd'], ['b', 'c']]);
    const result = suppressCells(input);
    expect(leaks(input, result)).toEqual(new Set());
    expect(result.status.get('a')?.kind).toBe('suppressed');
  });

  it('gives the same answer whatever the order of cells and margins', () => {
    const rng = createRng('order');
    const subjects: Record<string, number> = {};
    for (let r = 0; r < 4; r++) for (let k = 0; k < 5; k++) subjects[`r${r}k${k}`] = 1 + rng.int(12);
    const ids = Object.keys(subjects);
    const margins = [
      ...[0, 1, 2, 3].map((r) => ids.filter((id) => id[1] === String(r))),
      ...[0, 1, 2, 3, 4].map((k) => ids.filter((id) => id[3] === String(k))),
      ids,
    ];
    const input = table(subjects, margins, 5);
    const reference = suppressCells(input);
    for (let i = 0; i < 5; i++) {
      const shuffled: SuppressionInput = { ...input, cells: rng.shuffle([...input.cells]), margins: rng.shuffle([...input.margins]) };
      const result = suppressCells(shuffled);
      expect(suppressed(result)).toEqual(suppressed(reference));
      expect(complementary(result)).toEqual(complementary(reference));
    }
    expect(leaks(input, reference)).toEqual(new Set());
  });
});

describe('suppressCells input checks', () => {
  const cells = [
    { id: 'a', distinctSubjects: 1, weight: 1 },
    { id: 'b', distinctSubjects: 5, weight: 5 },
  ];
  const rejects = (input: SuppressionInput, fragment: string): void => {
    let caught: unknown;
    try {
      suppressCells(input);
    } catch (error) {
      caught = error;
    }
    expect(isAirlockError(caught, 'BAD_REQUEST')).toBe(true);
    expect((caught as Error).message).toContain(fragment);
  };

  it('rejects duplicate cell and margin ids', () => {
    rejects({ cells: [...cells, { id: 'a', distinctSubjects: 3, weight: 3 }], margins: [], minCount: 3 }, 'cell id "a" appears twice');
    const margin = { id: 'm', distinctSubjects: 6, members: ['a', 'b'] };
    rejects({ cells, margins: [margin, margin], minCount: 3 }, 'margin id "m" appears twice');
  });

  it('rejects margins naming unknown cells or one cell twice', () => {
    rejects({ cells, margins: [{ id: 'm', distinctSubjects: 6, members: ['a', 'zz'] }], minCount: 3 }, 'names cell "zz"');
    rejects({ cells, margins: [{ id: 'm', distinctSubjects: 6, members: ['a', 'a'] }], minCount: 3 }, 'lists cell "a" twice');
  });

  it('rejects a minCount below 2 or fractional, and bad counts or weights', () => {
    rejects({ cells, margins: [], minCount: 1 }, 'minCount');
    rejects({ cells, margins: [], minCount: 2.5 }, 'minCount');
    rejects({ cells: [{ id: 'a', distinctSubjects: -1, weight: 1 }], margins: [], minCount: 3 }, 'distinctSubjects');
    rejects({ cells: [{ id: 'a', distinctSubjects: 1.5, weight: 1 }], margins: [], minCount: 3 }, 'distinctSubjects');
    rejects({ cells: [{ id: 'a', distinctSubjects: 1, weight: Number.NaN }], margins: [], minCount: 3 }, 'weight');
    rejects({ cells, margins: [{ id: 'm', distinctSubjects: Number.POSITIVE_INFINITY, members: ['a'] }], minCount: 3 }, 'margin "m"');
  });
});
