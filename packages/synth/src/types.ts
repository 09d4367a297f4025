/** One cell of a table handed to the synthesizer. Dates are `YYYY-MM-DD`, timestamps ISO strings. */
export type SynthValue = string | number | boolean | null;

/** One row, keyed by column name. */
export type SynthRow = Record<string, SynthValue>;

/**
 * How the generator treats a column:
 * - categorical, boolean: frequencies (categorical values rarer than the minimum count folded);
 * - numeric, integer: quantiles within the observed bounds (integers rounded);
 * - date (`YYYY-MM-DD`), timestamp (ISO 8601): as numbers of days / milliseconds since 1970;
 * - identifier: never modelled; synthetic values are fresh fakes of kind `fake`.
 */
export type SynthColumnKind = 'categorical' | 'numeric' | 'integer' | 'boolean' | 'date' | 'timestamp' | 'identifier';

/** The kind of fake value that replaces an identifier column. */
export type FakeKind = 'name' | 'email' | 'mrn' | 'ssn' | 'token' | 'id';

export interface SynthColumn {
  readonly name: string;
  readonly kind: SynthColumnKind;
  /** For identifier columns: the fake to draw (default `id`). Ignored for other kinds. */
  readonly fake?: FakeKind | undefined;
}

/** Real data in, synthetic data out: the same shape both ways. */
export interface SynthTable {
  readonly columns: readonly SynthColumn[];
  readonly rows: readonly SynthRow[];
}
