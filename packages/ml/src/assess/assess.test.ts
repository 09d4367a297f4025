import { createRng } from '@airlock/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { PLANTED_FEATURES, plantedRows } from '../fixtures.ts';
import { splitIndices, train, type TrainRequest } from '../train.ts';
import type { Row } from '../types.ts';
import { assessModel } from './assess.ts';
import { membershipAttack } from './membership.ts';

beforeAll(async () => {
  await initBackend();
});

async function assess(request: TrainRequest, attributes: string[] = []) {
  const result = await train(request);
  return assessModel({ model: result.model, rows: request.rows, split: splitIndices(request) }, { attributes, seed: 1 });
}

/** Rows where the label depends on x1 alone; x2 and color are noise. */
function onlyX1(n: number): Row[] {
  const rng = createRng(21);
  return plantedRows(n, { seed: 4, x1: 3, x2: 0, color: 0 }).map((row) => ({ ...row, label: rng.next() < 1 / (1 + Math.exp(-3 * (row['x1'] as number))) }));
}

describe('membershipAttack', () => {
  it('is 1 when every member has a lower loss than every non-member, 0.5 for the same losses', () => {
    expect(membershipAttack([0.1, 0.2, 0.3], [1, 2, 3, 4, 5]).auc).toBe(1);
    expect(membershipAttack([1, 1, 1], [1, 1, 1])).toMatchObject({ auc: 0.5, members: 3, nonMembers: 3 });
  });

  it('draws equal samples of members and non-members', () => {
    const report = membershipAttack(Array.from({ length: 500 }, (_, i) => i), Array.from({ length: 40 }, (_, i) => i));
    expect(report).toMatchObject({ attack: 'loss_threshold', members: 40, nonMembers: 40 });
    expect(report.interval.low).toBeLessThanOrEqual(report.auc);
  });
});

describe('assessModel', () => {
  it('an overfitted MLP regression (few rows, many epochs, no regularization) leaks membership; a default one does not', async () => {
    const overfit = await assess({
      rows: plantedRows(80, { seed: 9 }),
      features: PLANTED_FEATURES,
      target: { name: 'amount', kind: 'numeric' },
      kind: 'mlp_regression',
      seed: 3,
      hyperparameters: { epochs: 300, patience: 0, l2: 0, hiddenUnits: [32, 32], batchSize: 16 },
    });
    const tuned = await assess({ rows: plantedRows(1000, { seed: 9 }), features: PLANTED_FEATURES, target: { name: 'amount', kind: 'numeric' }, kind: 'mlp_regression', seed: 3 });
    expect(overfit.membership.auc).toBeGreaterThan(0.75);
    expect(overfit.membership.withinLimit).toBe(false);
    expect(overfit.warnings.join('\n')).toMatch(/membership-inference attack .* AUC 0\.\d+, above the limit 0\.6/);
    expect(tuned.membership.auc).toBeLessThan(0.6);
    expect(tuned.membership).toMatchObject({ withinLimit: true, limit: 0.6, members: 300, nonMembers: 300 });
  }, 60_000);

  it('reports intervals, warns about a small test set, ranks the feature that drives the label first, and flags nothing leaky', async () => {
    const report = await assess(
      { rows: onlyX1(200), features: PLANTED_FEATURES, target: { name: 'label', kind: 'binary' }, kind: 'logistic_regression', seed: 2, hyperparameters: { epochs: 30, batchSize: 32 } },
      ['color', 'x2'],
    );
    expect(report.test.rows).toBeLessThan(35);
    const auc = report.test.intervals.rocAuc!;
    expect(auc.low).toBeLessThanOrEqual(auc.estimate);
    expect(auc.high).toBeGreaterThanOrEqual(auc.estimate);
    expect(report.warnings[0]).toMatch(/The test set is small: \d+ rows \(\d+ of the smaller class/);
    expect(report.importance[0]!.feature).toBe('x1');
    expect(report.importance[0]!.importance).toBeGreaterThan(5 * Math.abs(report.importance[1]!.importance));
    expect(report.leakage.flagged).toEqual([]);
    // About 30 test rows over three colors: every group is under the minimum, none is named.
    expect(report.subgroups[0]).toMatchObject({ attribute: 'color', groups: [], suppressed: 3 });
  }, 60_000);
});

describe('assessModel on a multiclass model', () => {
  it('scores the true class: accuracy with an interval, a membership figure from cross-entropy, no binary-only leakage scores', async () => {
    // Three classes decided by x1's third, so the model is right far above the 1/3 base rate.
    const rows = plantedRows(600, { seed: 9, x1: 1, x2: 0, color: 0 }).map((row) => {
      const x = row['x1'] as number;
      return { ...row, band: x < -0.43 ? 'low' : x < 0.43 ? 'mid' : 'high' };
    });
    const request: TrainRequest = { rows, features: PLANTED_FEATURES, target: { name: 'band', kind: 'multiclass' }, kind: 'mlp_classifier', seed: 2, hyperparameters: { epochs: 20 } };
    const assessment = await assess(request);
    expect(assessment.test.intervals.accuracy!.estimate).toBeGreaterThan(0.6);
    expect(assessment.test.intervals.accuracy!.low).toBeLessThanOrEqual(assessment.test.intervals.accuracy!.estimate);
    expect(assessment.membership.auc).toBeGreaterThan(0.3);
    expect(assessment.membership.auc).toBeLessThan(0.7);
    expect(assessment.leakage.features).toEqual([]);
    expect(assessment.importance[0]!.feature).toBe('x1');
  });
});
