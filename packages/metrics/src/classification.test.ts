import { describe, expect, it } from 'vitest';
import {
  accuracy,
  brierScore,
  classificationReport,
  confusionMatrix,
  prAuc,
  precisionRecallF1,
  rocAuc,
} from './index.ts';
import { rank, weightedAuc } from './ranking.ts';

// The 10-row worked example. Positives score 0.9, 0.6, 0.3, 0.8; negatives 0.7, 0.2, 0.65, 0.1,
// 0.35, 0.05.
//
// At threshold 0.5, predicted = [1, 1, 1, 0, 1, 0, 0, 1, 0, 0]:
//   tp = rows 0, 2, 7 = 3   fp = rows 1, 4 = 2   fn = row 5 = 1   tn = rows 3, 6, 8, 9 = 4
//   accuracy  = (3 + 4) / 10 = 0.7
//   precision = 3 / (3 + 2) = 0.6
//   recall    = 3 / (3 + 1) = 0.75
//   F1        = 2·3 / (2·3 + 2 + 1) = 6/9 = 2/3
// ROC AUC, counting for each positive the negatives below it (24 pairs):
//   0.9 → 6, 0.8 → 6, 0.6 → 4 (0.35, 0.2, 0.1, 0.05), 0.3 → 3 (0.2, 0.1, 0.05); AUC = 19/24.
//   Same by ranks: ascending 0.05 0.1 0.2 [0.3] 0.35 [0.6] 0.65 0.7 [0.8] [0.9], positive ranks
//   4 + 6 + 9 + 10 = 29, U = 29 − 4·5/2 = 19.
// Average precision, walking down the scores:
//   0.9 P (1/1), 0.8 P (2/2), 0.7 N, 0.65 N, 0.6 P (3/5), 0.35 N, 0.3 P (4/7)
//   AP = (1 + 1 + 3/5 + 4/7) / 4 = (111/35) / 4 = 111/140
// Brier, squared errors:
//   positives 0.1² + 0.4² + 0.7² + 0.2² = 0.01 + 0.16 + 0.49 + 0.04 = 0.70
//   negatives 0.7² + 0.2² + 0.65² + 0.1² + 0.35² + 0.05² = 0.49 + 0.04 + 0.4225 + 0.01 + 0.1225 + 0.0025 = 1.0875
//   Brier = 1.7875 / 10 = 0.17875
const labels = [1, 0, 1, 0, 0, 1, 0, 1, 0, 0];
const probabilities = [0.9, 0.7, 0.6, 0.2, 0.65, 0.3, 0.1, 0.8, 0.35, 0.05];
const predicted = probabilities.map((p) => (p >= 0.5 ? 1 : 0));

describe('threshold metrics on the 10-row example', () => {
  it('confusionMatrix', () => {
    expect(confusionMatrix(labels, predicted)).toEqual({ tp: 3, fp: 2, tn: 4, fn: 1 });
  });

  it('accuracy', () => {
    expect(accuracy(labels, predicted)).toBeCloseTo(0.7, 12);
  });

  it('precision, recall, F1', () => {
    const { precision, recall, f1 } = precisionRecallF1(labels, predicted);
    expect(precision).toBeCloseTo(0.6, 12);
    expect(recall).toBeCloseTo(0.75, 12);
    expect(f1).toBeCloseTo(2 / 3, 12);
  });

  it('accepts typed arrays', () => {
    expect(accuracy(Uint8Array.from(labels), Float64Array.from(predicted))).toBeCloseTo(0.7, 12);
  });
});

describe('precisionRecallF1 edge cases', () => {
  it('precision is NaN when nothing is predicted positive, F1 is 0 when positives exist', () => {
    expect(precisionRecallF1([1, 0, 1], [0, 0, 0])).toEqual({ precision: NaN, recall: 0, f1: 0 });
  });

  it('recall is NaN without positive labels', () => {
    expect(precisionRecallF1([0, 0], [1, 0])).toEqual({ precision: 0, recall: NaN, f1: 0 });
  });

  it('everything is NaN with neither positive labels nor positive predictions', () => {
    expect(precisionRecallF1([0, 0], [0, 0])).toEqual({ precision: NaN, recall: NaN, f1: NaN });
  });
});

describe('rocAuc', () => {
  it('10-row example: 19/24', () => {
    expect(rocAuc(labels, probabilities)).toBeCloseTo(19 / 24, 12);
  });

  it('ties count one half (average ranks)', () => {
    // Positives 0.5 and 0.8, negatives 0.5 and 0.2. Pairs: (0.5, 0.5) = ½, (0.5, 0.2) = 1,
    // (0.8, ·) = 2, so AUC = 3.5/4. Ranks: 0.2 → 1, 0.5, 0.5 → 2.5, 0.8 → 4; U = 6.5 − 3 = 3.5.
    expect(rocAuc([1, 1, 0, 0], [0.5, 0.8, 0.5, 0.2])).toBeCloseTo(0.875, 12);
  });

  it('all scores tied → 0.5; perfect → 1; reversed → 0', () => {
    expect(rocAuc([1, 0, 1, 0], [3, 3, 3, 3])).toBe(0.5);
    expect(rocAuc([1, 0, 1, 0], [4, 1, 3, 2])).toBe(1);
    expect(rocAuc([1, 0, 1, 0], [1, 4, 2, 3])).toBe(0);
  });

  it('one class only → NaN', () => {
    expect(rocAuc([1, 1, 1], [0.1, 0.5, 0.9])).toBeNaN();
    expect(rocAuc([0, 0], [0.1, 0.5])).toBeNaN();
  });

  it('accepts infinite scores', () => {
    expect(rocAuc([1, 0, 0], [Infinity, -Infinity, 0])).toBe(1);
  });

  it('the weighted walk used by the bootstrap agrees, and weight 2 equals a duplicated row', () => {
    const ranking = rank(labels, probabilities);
    expect(weightedAuc(ranking, new Array(10).fill(1))).toBeCloseTo(19 / 24, 12);
    const weights = [2, 1, 0, 1, 3, 1, 1, 0, 2, 1];
    const expandedLabels: number[] = [];
    const expandedScores: number[] = [];
    weights.forEach((w, i) => {
      for (let k = 0; k < w; k++) {
        expandedLabels.push(labels[i]!);
        expandedScores.push(probabilities[i]!);
      }
    });
    expect(weightedAuc(ranking, weights)).toBeCloseTo(rocAuc(expandedLabels, expandedScores), 12);
  });
});

describe('prAuc (average precision)', () => {
  it('10-row example: 111/140', () => {
    expect(prAuc(labels, probabilities)).toBeCloseTo(111 / 140, 12);
  });

  it('tied scores form one threshold, independent of row order', () => {
    // Threshold 0.8: rows 0, 1 called positive, tp = 1, precision ½, recall ½.
    // Threshold 0.4: tp = 2 of 3 called, precision ⅔, recall 1. AP = ½·½ + ½·⅔ = 7/12.
    expect(prAuc([1, 0, 1, 0], [0.8, 0.8, 0.4, 0.1])).toBeCloseTo(7 / 12, 12);
    expect(prAuc([0, 1, 0, 1], [0.8, 0.8, 0.1, 0.4])).toBeCloseTo(7 / 12, 12);
  });

  it('perfect ranking → 1; no negatives → 1; no positives → NaN', () => {
    expect(prAuc([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.2])).toBe(1);
    expect(prAuc([1, 1], [0.2, 0.3])).toBe(1);
    expect(prAuc([0, 0], [0.2, 0.3])).toBeNaN();
  });
});

describe('brierScore', () => {
  it('10-row example: 0.17875', () => {
    expect(brierScore(labels, probabilities)).toBeCloseTo(0.17875, 12);
  });

  it('always 0.5 → 0.25; certain and right → 0', () => {
    expect(brierScore([1, 0, 1], [0.5, 0.5, 0.5])).toBe(0.25);
    expect(brierScore([1, 0], [1, 0])).toBe(0);
  });

  it('rejects a probability outside [0, 1], naming the index', () => {
    expect(() => brierScore([1, 0], [0.5, 1.2])).toThrow(/probabilities\[1\] is 1\.2/);
  });
});

describe('classificationReport', () => {
  it('collects every metric of the 10-row example at the default 0.5 threshold', () => {
    const report = classificationReport(labels, probabilities);
    expect(report.confusion).toEqual({ tp: 3, fp: 2, tn: 4, fn: 1 });
    expect(report.accuracy).toBeCloseTo(0.7, 12);
    expect(report.precision).toBeCloseTo(0.6, 12);
    expect(report.recall).toBeCloseTo(0.75, 12);
    expect(report.f1).toBeCloseTo(2 / 3, 12);
    expect(report.rocAuc).toBeCloseTo(19 / 24, 12);
    expect(report.prAuc).toBeCloseTo(111 / 140, 12);
    expect(report.brier).toBeCloseTo(0.17875, 12);
    expect(report.positives).toBe(4);
    expect(report.n).toBe(10);
  });

  it('a probability equal to the threshold counts as positive', () => {
    // Threshold 0.7: rows 0 (0.9), 7 (0.8) are tp; row 1 (exactly 0.7) is fp; rows 2, 5 are fn.
    const report = classificationReport(labels, probabilities, 0.7);
    expect(report.confusion).toEqual({ tp: 2, fp: 1, tn: 5, fn: 2 });
    expect(report.precision).toBeCloseTo(2 / 3, 12);
    expect(report.recall).toBeCloseTo(0.5, 12);
    expect(report.rocAuc).toBeCloseTo(19 / 24, 12);
  });

  it('rejects a NaN threshold', () => {
    expect(() => classificationReport(labels, probabilities, NaN)).toThrow(RangeError);
  });
});

describe('input checks', () => {
  it('mismatched lengths name both lengths', () => {
    expect(() => accuracy([1, 0, 1], [1, 0])).toThrow(/labels has 3 values but predicted has 2/);
    expect(() => rocAuc(labels, probabilities.slice(1))).toThrow(/labels has 10 values but scores has 9/);
    expect(() => classificationReport([1], [0.1, 0.2])).toThrow(RangeError);
  });

  it('NaN names its index', () => {
    expect(() => rocAuc([1, 0, 1], [0.2, NaN, 0.3])).toThrow(/scores\[1\] is NaN/);
    expect(() => prAuc([1, 0, 1], [0.2, 0.4, NaN])).toThrow(/scores\[2\] is NaN/);
    expect(() => accuracy([1, NaN], [1, 0])).toThrow(/labels\[1\] is NaN/);
  });

  it('labels and predictions must be 0 or 1', () => {
    expect(() => confusionMatrix([1, 2], [1, 0])).toThrow(/labels\[1\] is 2; labels must be 0 or 1/);
    expect(() => confusionMatrix([1, 0], [0.7, 0])).toThrow(/predicted\[0\] is 0\.7/);
  });

  it('empty input throws', () => {
    expect(() => accuracy([], [])).toThrow(/labels is empty/);
  });
});
