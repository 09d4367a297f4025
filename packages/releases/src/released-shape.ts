import { createDeidentifier, InMemoryKeyring, InMemorySurrogateResolver, TransformError } from '@airlock/deid';
import { deidentifiedRisk, type DatasetPolicy } from '@airlock/policy';
import { generalizeLike, realPersonMatches, type ColumnGeneralization } from '@airlock/risk';
import type { SynthRow } from '@airlock/synth';

/** Rows in the shape a zone releases them, column-major for the risk helpers. */
export interface ReleasedTable {
  readonly rows: number;
  column(name: string): unknown[];
}

/**
 * Rows in the deidentified zone's released shape: every non-identifier column through the
 * policy's transform (ages, ZIP3, months, buckets, grids), then each quasi-identifier to the
 * level the deidentified view's risk report chose. Identifiers keep the values given (fake ones
 * for a synthetic release). Rows the transforms refuse (e.g. a sampled birth date after the
 * admission) are left out and counted. The throwaway keyring only feeds transforms whose output
 * is discarded here (tokens of identifiers) or keyed per row (date shifts).
 */
export function releasedShape(policy: DatasetPolicy, rows: readonly SynthRow[], generalization: readonly ColumnGeneralization[] | undefined): { table: ReleasedTable; refused: number; kept: SynthRow[] } {
  const deidentifier = createDeidentifier(policy, InMemoryKeyring.generate(1), { surrogates: new InMemorySurrogateResolver() });
  const identifiers = new Set(policy.columns.filter((c) => c.class === 'identifier' || c.name === policy.subject).map((c) => c.name));
  const kept: SynthRow[] = [];
  const shaped: Record<string, unknown>[] = [];
  let refused = 0;
  rows.forEach((row, i) => {
    try {
      const out = deidentifier.deidentifyRow(row, { subjectKey: `row-${i}` }).row;
      for (const name of identifiers) if (name in out) out[name] = row[name] ?? null;
      shaped.push(out);
      kept.push(row);
    } catch (error) {
      if (!(error instanceof TransformError)) throw error;
      refused += 1;
    }
  });
  const risk = deidentifiedRisk(policy);
  // Each column is built once: callers index it row by row (a rebuild per call would be quadratic).
  const built = new Map<string, unknown[]>();
  const columnOf = (name: string): unknown[] => {
    let values = built.get(name);
    if (values === undefined) built.set(name, (values = shaped.map((r) => r[name] ?? null)));
    return values;
  };
  const generalized = risk && generalization ? generalizeLike(policy.columns, risk, generalization, columnOf) : new Map<string, (string | null)[]>();
  return {
    table: { rows: shaped.length, column: (name) => generalized.get(name) ?? columnOf(name) },
    refused,
    kept,
  };
}

/**
 * The synthetic-release gate's identity check: released rows that match real people on every
 * quasi-identifier plus a sensitive value (see realPersonMatches), with both tables in the same
 * released shape.
 */
export function syntheticMatchesRealPeople(policy: DatasetPolicy, real: ReleasedTable, realSubjects: readonly unknown[], released: ReleasedTable): ReturnType<typeof realPersonMatches> {
  const risk = deidentifiedRisk(policy);
  const quasi = risk?.quasiIdentifiers ?? policy.columns.filter((c) => c.class === 'quasi_identifier' || c.class === 'event_date').map((c) => c.name);
  const sensitive = risk?.sensitive ?? policy.columns.filter((c) => c.class === 'sensitive' && c.deidentified.kind !== 'drop').map((c) => c.name);
  return realPersonMatches({ quasiIdentifiers: quasi, sensitive, k: risk?.k ?? 2, real: { ...real, subjects: realSubjects, column: real.column }, released });
}
