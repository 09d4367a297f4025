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
    // A table costs its size to allocate and clear: worth it only when it is not much larger
    // than the rows it numbers.
    if (space <= Math.min(TABLE_LIMIT, Math.max(1 << 16, length * 4))) {
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
      const table = new KeyTable(length);
      for (let row = 0; row < length; row++) {
        next[row] = table.idOf(ids[row]! * cardinality + codes[row]!, nextCount);
        if (next[row] === nextCount) nextCount++;
      }
    }
    ids = next;
    count = nextCount;
  }
  return { ids, count };
}

/**
 * Open-addressing hash from integer keys (below 2^53) to dense ids, in typed arrays: several
 * times faster than a Map for the millions of lookups a lattice search makes.
 */
class KeyTable {
  readonly #keys: Float64Array;
  readonly #ids: Int32Array;
  readonly #mask: number;

  constructor(entries: number) {
    let capacity = 16;
    while (capacity < entries * 2) capacity *= 2;
    this.#keys = new Float64Array(capacity);
    this.#ids = new Int32Array(capacity).fill(-1);
    this.#mask = capacity - 1;
  }

  /** The id of `key`, or `fresh` (recorded) when the key is new. */
  idOf(key: number, fresh: number): number {
    const low = key % 4294967296;
    const high = (key - low) / 4294967296;
    let slot = (Math.imul(low | 0, 0x9e3779b1) ^ Math.imul(high | 0, 0x85ebca77)) & this.#mask;
    for (;;) {
      const id = this.#ids[slot]!;
      if (id < 0) {
        this.#keys[slot] = key;
        this.#ids[slot] = fresh;
        return fresh;
      }
      if (this.#keys[slot] === key) return id;
      slot = (slot + 1) & this.#mask;
    }
  }
}
