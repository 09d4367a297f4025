// Argument checks shared by the metrics. These are programmer errors in a pure numeric library
// (like RangeError from createRng().pick), so they throw RangeError rather than an AirlockError:
// callers that turn them into a request error wrap them with their own code.

/** Throws a RangeError naming both lengths unless `a` and `b` have the same length. */
export function assertSameLength(fn: string, nameA: string, a: ArrayLike<unknown>, nameB: string, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) {
    throw new RangeError(`${fn}: ${nameA} has ${a.length} values but ${nameB} has ${b.length}; pass arrays of equal length`);
  }
}

/** Throws a RangeError if `values` is empty: every metric here is undefined on no data. */
export function assertNonEmpty(fn: string, name: string, values: ArrayLike<unknown>): void {
  if (values.length === 0) throw new RangeError(`${fn}: ${name} is empty; pass at least one value`);
}

/** Throws a RangeError naming the first index that holds NaN. Infinities are allowed. */
export function assertNoNaN(fn: string, name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) throw new RangeError(`${fn}: ${name}[${i}] is NaN; drop or impute missing values first`);
  }
}

/** Throws a RangeError naming the first index that is not exactly 0 or 1 (NaN included). */
export function assertBinary(fn: string, name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== 0 && v !== 1) throw new RangeError(`${fn}: ${name}[${i}] is ${String(v)}; ${name} must be 0 or 1`);
  }
}

/** Throws a RangeError naming the first index that is not a probability in [0, 1] (NaN included). */
export function assertProbabilities(fn: string, name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= 0 && v <= 1)) throw new RangeError(`${fn}: ${name}[${i}] is ${String(v)}; ${name} must lie in [0, 1]`);
  }
}

/** The checks every binary-classification metric starts with: same length, non-empty, 0/1 labels. */
export function assertLabelled(fn: string, labels: ArrayLike<number>, otherName: string, other: ArrayLike<number>): void {
  assertSameLength(fn, 'labels', labels, otherName, other);
  assertNonEmpty(fn, 'labels', labels);
  assertBinary(fn, 'labels', labels);
}
