import { describe, expect, it } from 'vitest';
import { multiclassConfusion, multiclassReport, rocAuc } from './index.ts';

// A 3-class worked example, 10 rows. Labels 0,0,0 | 1,1,1,1 | 2,2,2 (supports 3, 4, 3).
// Predicted          0,0,1 | 1,1,2,0 | 2,2,2
//
// Confusion, actual × predicted:   class 0: [2, 1, 0]
//                                  class 1: [1, 2, 1]
//                                  class 2: [0, 0, 3]
// accuracy = (2 + 2 + 3) / 10 = 0.7
// class 0: tp 2, predicted 3 → P 2/3, R 2/3, F1 2/3
// class 1: tp 2, predicted 3 → P 2/3, R 2/4, F1 2·2 / (4 + 1 + 2) = 4/7
// class 2: tp 3, predicted 4 → P 3/4, R 3/3, F1 2·3 / (6 + 1 + 0) = 6/7
// macro F1    = (2/3 + 4/7 + 6/7) / 3 = 44/63
// weighted F1 = (3·2/3 + 4·4/7 + 3·6/7) / 10 = (48/7) / 10 = 24/35
// macro P = (2/3 + 2/3 + 3/4) / 3 = 25/36; macro R = (2/3 + 1/2 + 1) / 3 = 13/18
// weighted R = accuracy = 0.7; weighted P = (3·2/3 + 4·2/3 + 3·3/4) / 10 = (2 + 8/3 + 9/4) / 10 = 83/120
// Probabilities: 0.6 on the predicted class, 0.2 on each other one, so
// log loss = (7·(−ln 0.6) + 3·(−ln 0.2)) / 10.
const labels = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2];
const predicted = [0, 0, 1, 1, 1, 2, 0, 2, 2, 2];
const probabilities = predicted.flatMap((p) => [0, 1, 2].map((c) => (c === p ? 0.6 : 0.2)));

describe('multiclassReport', () => {
  it('matches the hand computation on a 3-class example', () => {
    const r = multiclassReport(labels, probabilities, 3);
    expect(r.confusion).toEqual([
      [2, 1, 0],
      [1, 2, 1],
      [0, 0, 3],
    ]);
    expect(r.accuracy).toBeCloseTo(0.7, 12);
    expect(r.perClass.map((c) => c.support)).toEqual([3, 4, 3]);
    expect(r.perClass[0]).toMatchObject({ precision: expect.closeTo(2 / 3, 12), recall: expect.closeTo(2 / 3, 12), f1: expect.closeTo(2 / 3, 12) });
    expect(r.perClass[1]).toMatchObject({ precision: expect.closeTo(2 / 3, 12), recall: expect.closeTo(0.5, 12), f1: expect.closeTo(4 / 7, 12) });
    expect(r.perClass[2]).toMatchObject({ precision: expect.closeTo(0.75, 12), recall: expect.closeTo(1, 12), f1: expect.closeTo(6 / 7, 12) });
    expect(r.macro.f1).toBeCloseTo(44 / 63, 12);
    expect(r.weighted.f1).toBeCloseTo(24 / 35, 12);
    expect(r.macro.precision).toBeCloseTo(25 / 36, 12);
    expect(r.macro.recall).toBeCloseTo(13 / 18, 12);
    expect(r.weighted.recall).toBeCloseTo(0.7, 12);
    expect(r.weighted.precision).toBeCloseTo(83 / 120, 12);
    expect(r.logLoss).toBeCloseTo((7 * -Math.log(0.6) + 3 * -Math.log(0.2)) / 10, 12);
    expect(r.n).toBe(10);
  });

  it('one-vs-rest ROC AUC: 1 when every class ranks its members first; equals the binary AUC for two classes', () => {
    const perfect = multiclassReport([0, 1, 2], [0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.1, 0.1, 0.8], 3);
    expect(perfect.rocAucMacro).toBe(1);
    const y = [0, 1, 1, 0, 1];
    const p1 = [0.2, 0.7, 0.4, 0.5, 0.9];
    const two = multiclassReport(y, p1.flatMap((p) => [1 - p, p]), 2);
    expect(two.rocAucMacro).toBeCloseTo(rocAuc(y, p1), 12);
  });

  it('a class absent from the rows is left out of the averages; one never predicted counts 0 precision', () => {
    // Class 2 has no rows and is never predicted; class 1 is never predicted.
    const r = multiclassReport([0, 0, 1], [0.9, 0.1, 0, 0.9, 0.1, 0, 0.9, 0.1, 0], 3);
    expect(r.perClass[2]).toMatchObject({ support: 0, precision: Number.NaN, recall: Number.NaN, f1: Number.NaN });
    expect(r.perClass[1]!.precision).toBeNaN();
    // class 0: P 2/3, R 1, F1 4/5; class 1: P 0 (NaN), R 0, F1 0.
    expect(r.macro.f1).toBeCloseTo(0.4, 12);
    expect(r.macro.precision).toBeCloseTo(1 / 3, 12);
  });

  it('refuses malformed input with a RangeError naming it', () => {
    expect(() => multiclassReport([0, 3], [0.5, 0.5, 0.5, 0.5], 2)).toThrow(/labels\[1\] is 3; class indices run from 0 to 1/);
    expect(() => multiclassReport([0], [0.5], 2)).toThrow(/1 rows × 2 classes need 2/);
    expect(() => multiclassReport([0], [1.5, 0], 2)).toThrow(/probabilities\[0\] is 1.5/);
    expect(() => multiclassConfusion([0], [0], 1)).toThrow(/classes ≥ 2/);
  });
});
