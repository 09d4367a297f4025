/*
 * Test oracle: which unknowns a linear system determines, by plain dense Gaussian elimination over
 * BigInt. Written independently of elimination.ts (dense rows, rank test instead of sparse pivoting,
 * null vectors and tapes) so that the tests compare two different computations. Small systems only.
 */

/** Dense integer rows over `columnCount` unknowns; returns the columns j with e_j in the row space. */
export function denseDetermined(rows: readonly (readonly number[])[], columnCount: number): Set<number> {
  const basis: { pivot: number; row: bigint[] }[] = [];
  const reduce = (vector: bigint[]): bigint[] => {
    let v = vector;
    for (const { pivot, row } of basis) {
      const x = v[pivot]!;
      if (x === 0n) continue;
      const a = row[pivot]!;
      v = v.map((value, c) => a * value - x * row[c]!);
      const g = v.reduce((acc, value) => gcd(acc, value), 0n);
      if (g > 1n) v = v.map((value) => value / g);
    }
    return v;
  };
  for (const row of rows) {
    if (row.length !== columnCount) throw new RangeError('dense rows need one entry per column');
    const v = reduce(row.map((value) => BigInt(value)));
    const pivot = v.findIndex((value) => value !== 0n);
    if (pivot >= 0) basis.push({ pivot, row: v });
  }
  const determined = new Set<number>();
  for (let j = 0; j < columnCount; j++) {
    const unit = Array.from({ length: columnCount }, (_, c) => (c === j ? 1n : 0n));
    if (reduce(unit).every((value) => value === 0n)) determined.add(j);
  }
  return determined;
}

/** Dense rank of the rows (same elimination), for checking reported ranks. */
export function denseRank(rows: readonly (readonly number[])[]): number {
  let rank = 0;
  const basis: { pivot: number; row: bigint[] }[] = [];
  for (const row of rows) {
    let v = row.map((value) => BigInt(value));
    for (const { pivot, row: b } of basis) {
      const x = v[pivot]!;
      if (x === 0n) continue;
      const a = b[pivot]!;
      v = v.map((value, c) => a * value - x * b[c]!);
    }
    const pivot = v.findIndex((value) => value !== 0n);
    if (pivot >= 0) {
      basis.push({ pivot, row: v });
      rank++;
    }
  }
  return rank;
}

/**
 * Which suppressed cells the given (public) margins determine when the released cells are known:
 * the check an attacker would run. Cells are named by id.
 */
export function attackerDetermines(suppressed: ReadonlySet<string>, margins: readonly { members: readonly string[] }[]): Set<string> {
  const ids = [...suppressed].sort();
  const column = new Map(ids.map((id, c) => [id, c]));
  const rows = margins.map((margin) => {
    const row = new Array<number>(ids.length).fill(0);
    for (const id of margin.members) {
      const c = column.get(id);
      if (c !== undefined) row[c]! += 1;
    }
    return row;
  });
  return new Set([...denseDetermined(rows, ids.length)].map((c) => ids[c]!));
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}
