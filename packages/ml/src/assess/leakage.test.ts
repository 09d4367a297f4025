import { createRng } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { encodeTarget, fitEncoder } from '../encoder.ts';
import type { FeatureSpec, Row, TargetSpec } from '../types.ts';
import { leakageCheck, spearman } from './leakage.ts';

const FEATURES: FeatureSpec[] = [
  { name: 'x1', kind: 'numeric' },
  { name: 'color', kind: 'categorical' },
  { name: 'leak', kind: 'numeric' },
  { name: 'code', kind: 'categorical' },
  { name: 'visit', kind: 'date' },
];

/** x1 and color carry a real but partial signal; `leak` (numeric) and `code` (categorical) copy the outcome, 1% noise. */
function rows(n: number, seed: number): Row[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const x1 = rng.normal();
    const color = ['a', 'b', 'c'][rng.int(3)]!;
    const amount = 2 * x1 + (color === 'a' ? 1 : 0) + 1.5 * rng.normal();
    const label = amount > 0.5;
    const flip = rng.next() < 0.01;
    return {
      x1,
      color,
      leak: amount + 0.05 * rng.normal(),
      code: (label !== flip ? 'discharged-readmit' : 'discharged-home') + (i % 2 === 0 ? '' : '-b'),
      visit: `${2019 + rng.int(4)}-0${1 + rng.int(9)}-15`,
      label,
      amount,
    };
  });
}

function check(target: TargetSpec) {
  const train = rows(600, 1);
  const heldOut = rows(200, 2);
  const encoder = fitEncoder(train, { features: FEATURES, target });
  return leakageCheck(encoder, { rows: train, target: encodeTarget(encoder, train) }, { rows: heldOut, target: encodeTarget(encoder, heldOut) });
}

describe('leakageCheck', () => {
  it('flags the features that copy a binary target, and not the real predictors', () => {
    const report = check({ name: 'label', kind: 'binary' });
    expect(report.flagged).toEqual(['leak', 'code']);
    const byName = Object.fromEntries(report.features.map((f) => [f.feature, f]));
    expect(byName['x1']!.statistic).toBe('auc');
    expect(byName['x1']!.value).toBeGreaterThan(0.7); // a real signal, well under the threshold
    expect(byName['x1']!.value).toBeLessThan(0.95);
    expect(byName['visit']!.value).toBeLessThan(0.65);
  });

  it('flags a feature that nearly equals a numeric target (|Spearman ρ|)', () => {
    const report = check({ name: 'amount', kind: 'numeric' });
    expect(report.flagged).toEqual(['leak']);
    expect(report.features.every((f) => f.statistic === 'spearman')).toBe(true);
  });

  it('spearman: 1 for any increasing relation, −1 decreasing, NaN for a constant', () => {
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 64])).toBeCloseTo(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1);
    expect(spearman([1, 2, 3], [5, 5, 5])).toBeNaN();
  });
});
