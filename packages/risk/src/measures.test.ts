import { describe, expect, it } from 'vitest';
import { anonymize } from './anonymize.ts';
import { evaluateNode } from './evaluate.ts';
import { measure } from './measures.ts';
import { buildSnapshot } from './snapshot.ts';
import { tableOf } from './test-tables.ts';

/*
 * Six admissions of five patients; p1 has two (rows 0 and 2, ages 30 and 31 in this table so
 * they fall in different classes until ages are banded).
 *
 *   row  subject  age  sex  diagnosis
 *   0    p1       30   F    A
 *   1    p2       32   F    B
 *   2    p1       31   F    A
 *   3    p3       45   M    C
 *   4    p4       46   M    C
 *   5    p5       45   M    D
 */
const table = tableOf(
  [
    { name: 'age', values: [30, 32, 31, 45, 46, 45], spec: { kind: 'numeric', bands: [5] } },
    { name: 'sex', values: ['F', 'F', 'F', 'M', 'M', 'M'], spec: { kind: 'flat' } },
  ],
  [{ name: 'diagnosis', values: ['A', 'B', 'A', 'C', 'C', 'D'] }],
  ['p1', 'p2', 'p1', 'p3', 'p4', 'p5'],
);

describe('risk measures against hand-computed values', () => {
  it('counts classes in distinct subjects, with prosecutor risk and l as ARX reports them', () => {
    const snapshot = buildSnapshot(table);
    const m = measure(snapshot, evaluateNode(snapshot, [0, 0], { k: 1, l: 1, maxSuppressed: 1 }), 0.2);
    // Classes (30,F) (32,F) (31,F) (46,M): one subject each; (45,M): p3 and p5.
    expect(m).toMatchObject({ records: 6, classes: 5, k: 1, uniqueShare: 4 / 6 });
    expect(m.prosecutor.highest).toBe(1);
    // (4 × 1 + 2 × 1/2) / 6
    expect(m.prosecutor.average).toBeCloseTo(5 / 6, 12);
    expect(m.prosecutor.shareAbove).toBeCloseTo(1, 12);
    expect(m.l).toEqual([{ column: 'diagnosis', l: 1 }]);
    expect(m.distribution.filter((b) => b.classes > 0)).toEqual([
      { size: '1', classes: 4, records: 4 },
      { size: '2', classes: 1, records: 2 },
    ]);
  });

  it('counts a subject once when its rows merge into one class', () => {
    const snapshot = buildSnapshot(table);
    const e = evaluateNode(snapshot, [1, 0], { k: 2, l: 2, maxSuppressed: 1 });
    // Bands 30-34 and 45-49: (30-34,F) holds rows 0,1,2 of p1 and p2 → 2 subjects, not 3 rows.
    expect([...e.classSubjects]).toEqual([2, 3]);
    expect([...e.classRows]).toEqual([3, 3]);
    expect(e.classDistinct.map((d) => [...d])).toEqual([[2, 2]]);
  });

  it('suppresses failing classes and charges them a penalty of 1 in the information loss', () => {
    const snapshot = buildSnapshot(table);
    const e = evaluateNode(snapshot, [1, 0], { k: 3, l: 2, maxSuppressed: 0.5 });
    // (30-34,F) has 2 subjects < 3: its 3 rows are suppressed (half the rows: within 0.5).
    expect(e.suppressedRows).toBe(3);
    expect(e.meets).toBe(true);
    // Age leaves 30,31,32,45,46: band 45-49 covers 2 of 5 → penalty 1/4; sex level 0 → 0.
    // Kept rows 3,4,5: 3 × 1/4; suppressed: 3 rows × 2 columns × 1. Loss = (3/4 + 6) / (6 × 2).
    expect(e.loss).toBeCloseTo((3 / 4 + 6) / 12, 12);
  });

  it('anonymize reports before and after, the chosen levels and the loss', () => {
    const { report, view } = anonymize(table, { k: 2, l: 2, maxSuppressed: 0 });
    expect(report.decision).toBe('published');
    // Age bands make two classes of 2 and 3 subjects, each with 2 or more diagnoses.
    expect(report.generalization.map((g) => [g.column, g.level, g.name])).toEqual([
      ['age', 1, '5-wide bands'],
      ['sex', 0, 'as published'],
    ]);
    expect(report.after).toMatchObject({ k: 2, classes: 2, l: [{ column: 'diagnosis', l: 2 }] });
    expect(report.before.k).toBe(1);
    // Bands 30-34 covers 3 of 5 ages (penalty 2/4) for 3 rows; 45-49 covers 2 (1/4) for 3 rows.
    expect(report.informationLoss).toBeCloseTo((3 * (2 / 4) + 3 * (1 / 4)) / 12, 12);
    expect(view?.columns.get('age')).toEqual(['30-34', '30-34', '30-34', '45-49', '45-49', '45-49']);
    expect([...view!.suppressed]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('refuses when the targets are out of reach, naming what stands in the way', () => {
    const tooFew = anonymize(table, { k: 6, l: 1, maxSuppressed: 0 });
    expect(tooFew.report.decision).toBe('refused');
    expect(tooFew.view).toBeUndefined();
    expect(tooFew.report.blockers).toEqual([{ column: '(subjects)', reason: 'the data holds 5 distinct subject(s), fewer than k = 6' }]);
    const diverse = anonymize(table, { k: 2, l: 5, maxSuppressed: 0 });
    expect(diverse.report.blockers[0]).toMatchObject({ column: 'diagnosis' });
    const capped = anonymize(
      tableOf(
        [
          { name: 'age', values: [30, 32, 31, 45, 46, 45], spec: { kind: 'numeric', bands: [5], maxLevel: 0 } },
          { name: 'sex', values: ['F', 'F', 'F', 'M', 'M', 'M'], spec: { kind: 'flat' } },
        ],
        [],
        ['p1', 'p2', 'p1', 'p3', 'p4', 'p5'],
      ),
      { k: 2, l: 1, maxSuppressed: 0 },
    );
    expect(capped.report.decision).toBe('refused');
    expect(capped.report.blockers.map((b) => b.column)).toEqual(['age']);
  });
});
