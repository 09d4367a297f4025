import { createRng } from '@airlock/core';

/** How far the fractions may sum from 1 (so [0.7, 0.2, 0.1] passes despite binary rounding). */
const FRACTION_SUM_TOLERANCE = 1e-9;

/**
 * Splits row indices into parts (e.g. train / validation / test) so that every class is divided in
 * the given proportions, shuffled with a seeded generator.
 *
 * For each class (distinct label value, compared as Map keys, so 1 and '1' are different classes)
 * with m rows, part i gets ⌊fᵢ·m⌋ rows and the rows left over go one each to the parts with the
 * largest remainders fᵢ·m − ⌊fᵢ·m⌋, earlier parts first on ties (the largest remainder, or Hamilton,
 * method). A part's size therefore differs from fᵢ·n by less than one row per class, and a part
 * with fraction 0 is always empty. Classes are processed in order of first appearance, each
 * shuffled with one generator from `createRng(seed)`.
 *
 * Returns one array of indices per fraction, each sorted ascending; together they hold every index
 * of `labels` exactly once. Deterministic: same labels, fractions and seed, same split. Empty
 * `labels` give empty parts.
 * Throws RangeError if `fractions` is empty, holds a negative or non-finite value, or does not sum
 * to 1, or if a label is NaN (naming its index).
 */
export function stratifiedSplit(labels: ArrayLike<number | string>, fractions: readonly number[], seed: number | string): number[][] {
  if (fractions.length === 0) throw new RangeError('stratifiedSplit: fractions is empty; pass e.g. [0.8, 0.2]');
  let sum = 0;
  for (const [i, f] of fractions.entries()) {
    if (!(Number.isFinite(f) && f >= 0)) throw new RangeError(`stratifiedSplit: fractions[${i}] is ${f}; each fraction must be a finite number ≥ 0`);
    sum += f;
  }
  if (Math.abs(sum - 1) > FRACTION_SUM_TOLERANCE) throw new RangeError(`stratifiedSplit: fractions sum to ${sum}; they must sum to 1`);

  const classes = new Map<number | string, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (typeof label === 'number' && Number.isNaN(label)) throw new RangeError(`stratifiedSplit: labels[${i}] is NaN; every row needs a class`);
    const members = classes.get(label);
    if (members === undefined) classes.set(label, [i]);
    else members.push(i);
  }

  const rng = createRng(seed);
  const parts: number[][] = fractions.map(() => []);
  for (const members of classes.values()) {
    rng.shuffle(members);
    let offset = 0;
    for (const [part, count] of allocate(members.length, fractions).entries()) {
      // A loop, not push(...slice): a class of 200,000 rows would overflow the call stack.
      const target = parts[part]!;
      for (let k = offset; k < offset + count; k++) target.push(members[k]!);
      offset += count;
    }
  }
  for (const part of parts) part.sort((a, b) => a - b);
  return parts;
}

/** Largest-remainder apportionment of `total` items to parts in proportion to `fractions`. */
function allocate(total: number, fractions: readonly number[]): number[] {
  const quotas = fractions.map((f) => f * total);
  const counts = quotas.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  // Zero-fraction parts sort last: the leftovers are fewer than the parts with a positive
  // remainder, so they never reach them (the modulo only guards the 1e-9 rounding slack).
  const byRemainder = quotas
    .map((quota, part) => ({ part, remainder: quota - counts[part]!, fraction: fractions[part]! }))
    .sort((a, b) => b.remainder - a.remainder || b.fraction - a.fraction || a.part - b.part);
  for (let k = 0; left > 0; k++, left--) counts[byRemainder[k % byRemainder.length]!.part]!++;
  return counts;
}
