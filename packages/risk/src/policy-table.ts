import type { ColumnHierarchy, ColumnPolicy, DatasetPolicy, DeidentifiedRisk } from '@airlock/policy';
import { encodeColumn } from './encode.ts';
import { buildHierarchy, type HierarchySpec } from './hierarchy.ts';
import type { RiskTable } from './snapshot.ts';

// Age bands: 5 years (the usual census band), 10, 20.
const AGE_BANDS = [5, 10, 20] as const;

/**
 * The hierarchy a quasi-identifier follows, from its transform in the policy and its entry under
 * `zones.deidentified.hierarchies`: ages → 5/10/20-year bands (top code kept as `90+`); ZIP
 * prefixes → one digit fewer at a time; dates → month → quarter → year; buckets → merged pairs;
 * grid coordinates → ×10, ×100 grids; other numbers → automatic round bands; categories → the
 * declared groups; anything else → `*`.
 */
export function hierarchySpecOf(column: ColumnPolicy, declared: ColumnHierarchy | undefined): HierarchySpec {
  const maxLevel = declared?.maxLevel;
  const t = column.deidentified;
  const numeric = column.type === 'integer' || column.type === 'number';
  const isDate = column.type === 'date' || column.type === 'timestamp';
  switch (t.kind) {
    case 'age':
      return { kind: 'numeric', bands: declared?.bands ?? AGE_BANDS, topCode: t.topCode, maxLevel };
    case 'truncate':
      return { kind: 'prefix', keep: Array.from({ length: t.digits - 1 }, (_, i) => t.digits - 1 - i), maxLevel };
    case 'generalize':
    case 'shift':
      return { kind: 'date', maxLevel };
    case 'bucket':
      return { kind: 'bucket', edges: t.edges, maxLevel };
    case 'grid':
      return { kind: 'numeric', bands: declared?.bands ?? [t.step * 10, t.step * 100], maxLevel };
    case 'clamp':
      return { kind: 'numeric', bands: declared?.bands ?? 'auto', topCode: t.max, maxLevel };
    case 'keep':
      if (isDate) return { kind: 'date', maxLevel };
      if (numeric) return { kind: 'numeric', bands: declared?.bands ?? 'auto', maxLevel };
      if (declared?.groups !== undefined) return { kind: 'groups', levels: [new Map(declared.groups.flatMap((g) => g.values.map((v) => [v, g.name] as const)))], maxLevel };
      return { kind: 'flat', maxLevel };
    case 'drop':
    case 'tokenize':
    case 'surrogate':
      return { kind: 'flat', maxLevel };
  }
}

/** Column values of a table, by column name, as the deidentified zone holds them. */
export interface ColumnSource {
  readonly rows: number;
  column(name: string): ArrayLike<unknown>;
  /** The subject of each row; absent when each row is its own subject. */
  readonly subjects?: ArrayLike<unknown> | undefined;
}

/**
 * Encodes a deidentified table for the risk model: the risk settings' quasi-identifiers with
 * their hierarchies, and the published sensitive columns.
 */
export function riskTableOf(policy: DatasetPolicy, risk: DeidentifiedRisk, source: ColumnSource): RiskTable {
  const byName = new Map(policy.columns.map((c) => [c.name, c]));
  const declared = new Map(risk.hierarchies.map((h) => [h.column, h]));
  const quasiIdentifiers = risk.quasiIdentifiers.flatMap((name) => {
    const column = byName.get(name);
    if (column === undefined) return [];
    const encoded = encodeColumn(source.column(name));
    return [{ name, codes: encoded.codes, hierarchy: buildHierarchy(hierarchySpecOf(column, declared.get(name)), encoded.dictionary) }];
  });
  const sensitive = risk.sensitive.map((name) => {
    const encoded = encodeColumn(source.column(name));
    return { name, codes: encoded.codes, cardinality: encoded.dictionary.length };
  });
  const subjects = source.subjects === undefined ? undefined : encodeColumn(source.subjects).codes;
  return { rows: source.rows, quasiIdentifiers, sensitive, subjects };
}
