import { createRng } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RELEASE_THRESHOLDS, releaseDecision } from './gate.ts';
import { fitGenerator, sampleRows } from './generator.ts';
import { splitRows } from './pipeline.ts';
import { privacyReport } from './privacy.ts';
import type { PrivacyReport } from './privacy.ts';
import { patientTable } from './test-tables.ts';
import type { SynthColumn, SynthRow } from './types.ts';

const columns: SynthColumn[] = [
  { name: 'id', kind: 'identifier', fake: 'token' },
  { name: 'c', kind: 'categorical' },
  { name: 'x', kind: 'numeric' },
];
const row = (c: string, x: number, id = 'tk1_any'): SynthRow => ({ id, c, x });

describe('privacyReport on a hand-made table', () => {
  const train = [row('a', 0), row('b', 10), row('c', 20), row('d', 30)];
  const holdout = [row('a', 100), row('e', 50), row('f', 60), row('g', 70)];

  it('counts exact matches against equal-size training and holdout sets, identifiers ignored', () => {
    // Synthetic: two copies of training rows (ids differ, still copies), one unseen row.
    const synthetic = [row('a', 0, 'syn_1'), row('b', 10, 'syn_2'), row('z', 5, 'syn_3')];
    const report = privacyReport({ train, holdout }, synthetic, columns, { seed: 1 });
    expect(report.rows).toEqual({ synthetic: 3, train: 4, holdout: 4, referencePerPart: 4 });
    expect(report.exactMatch).toEqual({ trainRate: 2 / 3, holdoutRate: 0, trainMatches: 2, holdoutMatches: 0, ratio: 3 }); // (2 + 1) / (0 + 1)
    expect(report.newRowRate).toBeCloseTo(1 / 3, 12);
  });

  it('measures distance to the closest record and splits ties half/half', () => {
    // Range of x over all real rows is 100. Distances are means over the two columns.
    // ('a', 0): exact match in training (0) vs holdout ('a', 100): (0 + 1) / 2 → closer to training.
    // ('e', 50): holdout exact (0) vs training ('c', 20): (1 + .3) / 2 → closer to holdout.
    // ('q', 40): training ('d', 30) (1 + .1) / 2 = .55, holdout ('e', 50) the same → tie, half each.
    const synthetic = [row('a', 0), row('e', 50), row('q', 40)];
    const report = privacyReport({ train, holdout }, synthetic, columns, { seed: 1 });
    expect(report.dcr.sampled).toBe(3);
    expect(report.dcr.closerToTrainShare).toBeCloseTo((1 + 0 + 0.5) / 3, 12);
    expect(report.dcr.tieShare).toBeCloseTo(1 / 3, 12);
    expect(report.dcr.medianToTrain).toBeCloseTo(0.55, 12); // nearest training rows: 0, ('d', 30) .6, .55
    expect(report.dcr.medianToHoldout).toBeCloseTo(0.5, 12); // nearest holdout rows: .5, 0, .55
  });

  it('compares against a subsample of the training part when the holdout is smaller', () => {
    const report = privacyReport({ train, holdout: holdout.slice(0, 2) }, [row('a', 0)], columns, { seed: 3 });
    expect(report.rows.referencePerPart).toBe(2);
    expect(report.exactMatch.trainMatches + report.exactMatch.holdoutMatches).toBeLessThanOrEqual(2);
  });
});

describe('releaseDecision', () => {
  const report = (ratio: number, share: number): PrivacyReport => ({
    rows: { synthetic: 100, train: 80, holdout: 20, referencePerPart: 20 },
    exactMatch: { trainRate: 0.3, holdoutRate: 0.1, trainMatches: 30, holdoutMatches: 10, ratio },
    newRowRate: 0.7,
    dcr: { sampled: 100, closerToTrainShare: share, tieShare: 0, medianToTrain: 0, medianToHoldout: 0 },
  });

  it('publishes at or below the thresholds', () => {
    expect(DEFAULT_RELEASE_THRESHOLDS).toEqual({ maxExactMatchRatio: 1.15, maxCloserToTrainShare: 0.55 });
    expect(releaseDecision(report(1.15, 0.55))).toEqual({ kind: 'publish' });
  });

  it('refuses with every failing figure and by how much', () => {
    const decision = releaseDecision(report(2.5, 0.8));
    expect(decision.kind).toBe('refuse');
    if (decision.kind !== 'refuse') return;
    expect(decision.failures.map((failure) => [failure.figure, failure.value, failure.threshold])).toEqual([
      ['exactMatchRatio', 2.5, 1.15],
      ['closerToTrainShare', 0.8, 0.55],
    ]);
    expect(decision.failures[0]!.message).toMatch(/Exact-match ratio 2\.500 exceeds the limit 1\.150 by 1\.350/);
    expect(decision.failures[1]!.message).toMatch(/Closer-to-training share 80\.0% exceeds the limit 55\.0% by 25\.000 points/);
  });

  it('takes custom thresholds', () => {
    expect(releaseDecision(report(2.5, 0.8), { maxExactMatchRatio: 3, maxCloserToTrainShare: 0.9 })).toEqual({ kind: 'publish' });
  });
});

describe('the release gate on generators', () => {
  const table = patientTable(3_000, 4);
  const split = splitRows(table, 'readmitted', 0.2, 9);

  it('refuses a "generator" that resamples real training rows', () => {
    const rng = createRng(5);
    const copies = Array.from({ length: 2_000 }, () => ({ ...rng.pick(split.train) }));
    const privacy = privacyReport(split, copies, table.columns, { seed: 5 });
    expect(privacy.exactMatch.ratio).toBeGreaterThan(10);
    // Only a quarter of the copies have their source in the equal-size training reference (600 of
    // 2,400 rows); the rest are even bets: expected share 0.25 + 0.75 / 2 = 0.625.
    expect(privacy.dcr.closerToTrainShare).toBeGreaterThan(0.6);
    expect(privacy.newRowRate).toBe(0);
    const decision = releaseDecision(privacy);
    expect(decision.kind === 'refuse' && decision.failures.map((failure) => failure.figure)).toEqual(['exactMatchRatio', 'closerToTrainShare']);
  });

  it('publishes the fitted generator on the same data', () => {
    const model = fitGenerator({ columns: table.columns, rows: split.train }, { seed: 5, minCategoryCount: 5, label: 'readmitted' });
    const privacy = privacyReport(split, sampleRows(model, 2_000, 5), table.columns, { seed: 5 });
    expect(privacy.newRowRate).toBe(1); // continuous cost and timestamps: no row is a copy
    expect(releaseDecision(privacy)).toEqual({ kind: 'publish' });
  });
});
