import { createRng } from '@airlock/core';
import type { Row } from './types.ts';

/**
 * Synthetic rows with a planted signal, for this package's tests (not exported from index.ts).
 * Features: x1, x2 (standard normal, 2% null in x2), color (a/b/c, a raises the outcome), member
 * (boolean), visit (a date). Targets: `label` (boolean, logistic in the features), `amount`
 * (linear in them plus unit noise).
 */
export function plantedRows(n: number, options: { seed?: number; intercept?: number; x1?: number; x2?: number; color?: number } = {}): Row[] {
  const rng = createRng(options.seed ?? 7);
  const { intercept = -0.5, x1: b1 = 2, x2: b2 = -1.5, color: bColor = 1 } = options;
  const colors = ['a', 'b', 'c'] as const;
  return Array.from({ length: n }, () => {
    const x1 = rng.normal();
    const x2 = rng.normal();
    const color = colors[rng.int(3)]!;
    const member = rng.next() < 0.4;
    const month = 1 + rng.int(12);
    const logit = intercept + b1 * x1 + b2 * x2 + (color === 'a' ? bColor : 0);
    return {
      x1,
      x2: rng.next() < 0.02 ? null : x2,
      color,
      member,
      visit: `${2018 + rng.int(5)}-${String(month).padStart(2, '0')}-15`,
      label: rng.next() < 1 / (1 + Math.exp(-logit)),
      amount: 100 + 3 * x1 - 2 * x2 + 5 * (color === 'a' ? 1 : 0) + rng.normal(),
    };
  });
}

/** The features of {@link plantedRows}. */
export const PLANTED_FEATURES = [
  { name: 'x1', kind: 'numeric' },
  { name: 'x2', kind: 'numeric' },
  { name: 'color', kind: 'categorical' },
  { name: 'member', kind: 'boolean' },
  { name: 'visit', kind: 'date' },
] as const;
