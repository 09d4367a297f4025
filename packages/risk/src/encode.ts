/** A column as dense integer codes into a dictionary of its distinct values (null included). */
export interface EncodedColumn {
  /** The code of each row's value: `dictionary[codes[row]]` is the value. */
  readonly codes: Int32Array;
  /** Distinct values in order of first appearance, as text (null stays null). */
  readonly dictionary: readonly (string | null)[];
}

/**
 * Dictionary-encodes one column. Numbers, booleans and dates become their text form (a Date its
 * ISO string); null and undefined become null. Linear time: one Map lookup per row.
 */
export function encodeColumn(values: ArrayLike<unknown>): EncodedColumn {
  const codes = new Int32Array(values.length);
  const index = new Map<string | null, number>();
  const dictionary: (string | null)[] = [];
  for (let row = 0; row < values.length; row++) {
    const value = values[row];
    const label = value === null || value === undefined ? null : value instanceof Date ? value.toISOString() : String(value);
    let code = index.get(label);
    if (code === undefined) {
      code = dictionary.length;
      dictionary.push(label);
      index.set(label, code);
    }
    codes[row] = code;
  }
  return { codes, dictionary };
}

/** Dense group ids for the combinations of several coded columns, and how many groups there are. */
export interface Grouping {
  readonly ids: Int32Array;
  readonly count: number;
}

// Below this many possible combinations, a typed-array table beats a Map (no hashing, no boxing).
const TABLE_LIMIT = 1 << 24;

/**
 * Groups rows by the combination of their codes in `columns` (each with its code cardinality),
 * numbering groups densely in order of first appearance. Column by column: the running group id
 * and the next code form a pair that is renumbered densely, so keys never exceed
 * groups × cardinality (well inside 2^53) however many columns there are.
 */
export function groupRows(columns: readonly Int32Array[], cardinalities: readonly number[], length: number): Grouping {
  let ids = new Int32Array(length);
  let count = length > 0 ? 1 : 0;
  for (let c = 0; c < columns.length; c++) {
    const codes = columns[c]!;
    const cardinality = Math.max(1, cardinalities[c]!);
    const next = new Int32Array(length);
    let nextCount = 0;
    const space = count * cardinality;
    if (space <= TABLE_LIMIT) {
      const table = new Int32Array(space).fill(-1);
      for (let row = 0; row < length; row++) {
        const key = ids[row]! * cardinality + codes[row]!;
        let id = table[key]!;
        if (id < 0) {
          id = nextCount++;
          table[key] = id;
        }
        next[row] = id;
      }
    } else {
      const table = new Map<number, number>();
      for (let row = 0; row < length; row++) {
        const key = ids[row]! * cardinality + codes[row]!;
        let id = table.get(key);
        if (id === undefined) {
          id = nextCount++;
          table.set(key, id);
        }
        next[row] = id;
      }
    }
    ids = next;
    count = nextCount;
  }
  return { ids, count };
}
