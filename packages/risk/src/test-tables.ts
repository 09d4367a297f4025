import { encodeColumn } from './encode.ts';
import { buildHierarchy, type HierarchySpec } from './hierarchy.ts';
import type { RiskTable } from './snapshot.ts';

/*
 * Shared by the package's tests (not exported): a RiskTable from plain row arrays.
 */

export interface TestColumn {
  readonly name: string;
  readonly values: readonly unknown[];
  readonly spec: HierarchySpec;
}

export function tableOf(quasi: readonly TestColumn[], sensitive: readonly { name: string; values: readonly unknown[] }[], subjects?: readonly unknown[]): RiskTable {
  const rows = quasi[0]?.values.length ?? sensitive[0]?.values.length ?? 0;
  return {
    rows,
    quasiIdentifiers: quasi.map((q) => {
      const encoded = encodeColumn(q.values);
      return { name: q.name, codes: encoded.codes, hierarchy: buildHierarchy(q.spec, encoded.dictionary) };
    }),
    sensitive: sensitive.map((s) => {
      const encoded = encodeColumn(s.values);
      return { name: s.name, codes: encoded.codes, cardinality: encoded.dictionary.length };
    }),
    subjects: subjects === undefined ? undefined : encodeColumn(subjects).codes,
  };
}
