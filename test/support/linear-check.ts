/**
 * An independent check, for tests, that no unknown of a system of sum-equations is uniquely
 * determined: dense Gauss–Jordan elimination with partial pivoting over floating point (the
 * coefficients are 0/1 and the systems small, so a 1e-9 tolerance is exact enough). Written
 * separately from @airlock/disclosure on purpose, so the two can disagree.
 */
export function determinedByElimination(equations: readonly (readonly string[])[], unknowns: ReadonlySet<string>): string[] {
  const columns = [...unknowns];
  const index = new Map(columns.map((c, i) => [c, i]));
  const rows: number[][] = [];
  for (const members of equations) {
    const row = new Array<number>(columns.length).fill(0);
    let any = false;
    for (const m of members) {
      const i = index.get(m);
      if (i !== undefined) {
        row[i] = 1;
        any = true;
      }
    }
    if (any) rows.push(row);
  }
  const pivotCols: number[] = [];
  let r = 0;
  for (let c = 0; c < columns.length && r < rows.length; c++) {
    let best = r;
    for (let i = r + 1; i < rows.length; i++) if (Math.abs(rows[i]![c]!) > Math.abs(rows[best]![c]!)) best = i;
    if (Math.abs(rows[best]![c]!) < 1e-9) continue;
    [rows[r], rows[best]] = [rows[best]!, rows[r]!];
    const pivot = rows[r]!;
    const p = pivot[c]!;
    for (let k = 0; k < pivot.length; k++) pivot[k]! /= p;
    for (let i = 0; i < rows.length; i++) {
      if (i === r) continue;
      const f = rows[i]![c]!;
      if (Math.abs(f) < 1e-12) continue;
      const row = rows[i]!;
      for (let k = 0; k < row.length; k++) row[k]! -= f * pivot[k]!;
    }
    pivotCols.push(c);
    r++;
  }
  const determined: string[] = [];
  pivotCols.forEach((c, i) => {
    const row = rows[i]!;
    const alone = row.every((v, k) => k === c || Math.abs(v) < 1e-9);
    if (alone) determined.push(columns[c]!);
  });
  return determined;
}
