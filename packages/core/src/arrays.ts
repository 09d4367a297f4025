/*
 * Array helpers for inputs of any size. Spreading an array into a call — `Math.max(...xs)`,
 * `out.push(...xs)` — puts every element on the call stack and throws "Maximum call stack size
 * exceeded" somewhere past ~100,000 elements; these loop instead. The lint rule against such
 * spreads points here.
 */

/** Append every item of `items` to `target` (in place) and return `target`. */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest of `values`; `-Infinity` when empty (as `Math.max()`), NaN if any is NaN. */
export function maxOf(values: Iterable<number>): number {
  let max = -Infinity;
  for (const value of values) {
    if (Number.isNaN(value)) return Number.NaN;
    if (value > max) max = value;
  }
  return max;
}

/** The smallest of `values`; `Infinity` when empty (as `Math.min()`), NaN if any is NaN. */
export function minOf(values: Iterable<number>): number {
  let min = Infinity;
  for (const value of values) {
    if (Number.isNaN(value)) return Number.NaN;
    if (value < min) min = value;
  }
  return min;
}
