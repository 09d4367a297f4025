import type { ColumnPolicy, DeidentifiedRisk } from '@airlock/policy';
import type { ColumnGeneralization } from './anonymize.ts';
import { encodeColumn } from './encode.ts';
import { buildHierarchy } from './hierarchy.ts';
import { hierarchySpecOf } from './policy-table.ts';

/**
 * Coarsens another table (a synthetic release) to the levels a risk report chose for the
 * deidentified view, column by column through the same hierarchies, so it is never finer. The
 * values must already be in the deidentified zone's shape (the policy's transforms applied).
 * Returns the generalized labels per quasi-identifier; other columns are not touched.
 */
export function generalizeLike(
  columns: readonly ColumnPolicy[],
  risk: DeidentifiedRisk,
  generalization: readonly ColumnGeneralization[],
  column: (name: string) => ArrayLike<unknown>,
): Map<string, (string | null)[]> {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const declared = new Map(risk.hierarchies.map((h) => [h.column, h]));
  const out = new Map<string, (string | null)[]>();
  for (const g of generalization) {
    const policyColumn = byName.get(g.column);
    if (policyColumn === undefined || g.level === 0) continue;
    const encoded = encodeColumn(column(g.column));
    const hierarchy = buildHierarchy(hierarchySpecOf(policyColumn, declared.get(g.column)), encoded.dictionary);
    const level = hierarchy.levels[Math.min(g.level, hierarchy.levels.length - 1)]!;
    out.set(g.column, Array.from(encoded.codes, (code) => level.labels[level.map[code]!] ?? null));
  }
  return out;
}

/** How many released rows single out real people, and an example for the message. */
export interface RealPersonMatches {
  /** Released rows whose quasi-identifiers plus a sensitive value are held by fewer than k real subjects. */
  readonly rows: number;
  /** The sensitive column of the first such row (or `(none)` when matching on quasi-identifiers alone). */
  readonly firstColumn: string | undefined;
  /** 1 for each released row that matches. */
  readonly matched: Uint8Array;
}

/**
 * Counts released rows that match a real person: equal, on every quasi-identifier, to real
 * records (both in the same released shape) and on one sensitive value, where the real records so
 * matched belong to fewer than `k` distinct subjects. Such a row points at a group smaller than
 * the deidentified zone may show, and says their sensitive value. Without sensitive columns the
 * quasi-identifiers alone are matched.
 */
export function realPersonMatches(options: {
  readonly quasiIdentifiers: readonly string[];
  readonly sensitive: readonly string[];
  readonly k: number;
  readonly real: { readonly rows: number; column(name: string): ArrayLike<unknown>; readonly subjects: ArrayLike<unknown> };
  readonly released: { readonly rows: number; column(name: string): ArrayLike<unknown> };
}): RealPersonMatches {
  const { quasiIdentifiers, real, released, k } = options;
  const sensitive = options.sensitive.length > 0 ? options.sensitive : [undefined];
  const keyOf = (source: { column(name: string): ArrayLike<unknown> }, rows: number): string[] => {
    const columns = quasiIdentifiers.map((q) => source.column(q));
    return Array.from({ length: rows }, (_, r) => columns.map((c) => String(c[r] ?? '\u0000')).join('\u0001'));
  };
  const realKeys = keyOf(real, real.rows);
  const releasedKeys = keyOf(released, released.rows);
  const matched = new Uint8Array(released.rows);
  let firstColumn: string | undefined;
  for (const s of sensitive) {
    const realValues = s === undefined ? undefined : real.column(s);
    const releasedValues = s === undefined ? undefined : released.column(s);
    const subjectsOf = new Map<string, Set<unknown>>();
    for (let r = 0; r < real.rows; r++) {
      const key = `${realKeys[r]}\u0002${realValues === undefined ? '' : String(realValues[r] ?? '\u0000')}`;
      const set = subjectsOf.get(key) ?? new Set();
      set.add(real.subjects[r]);
      subjectsOf.set(key, set);
    }
    for (let r = 0; r < released.rows; r++) {
      const key = `${releasedKeys[r]}\u0002${releasedValues === undefined ? '' : String(releasedValues[r] ?? '\u0000')}`;
      const held = subjectsOf.get(key)?.size ?? 0;
      if (held > 0 && held < k && matched[r] === 0) {
        matched[r] = 1;
        firstColumn ??= s ?? '(none)';
      }
    }
  }
  let rows = 0;
  for (const m of matched) rows += m;
  return { rows, firstColumn, matched };
}
