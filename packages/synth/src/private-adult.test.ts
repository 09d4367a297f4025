import { seededRandomBits } from '@airlock/noise';
import { rhoFromEpsilon } from '@airlock/privacy';
import { ADULT_CSV, readAdultRows } from '@airlock/testing';
import { describe, expect, it } from 'vitest';
import { synthesize } from './pipeline.ts';
import type { SynthColumn, SynthRow } from './types.ts';

/*
 * The private synthesizer on UCI Adult (30,162 people, one row each), at ε = 1 and ε = 10
 * (δ = 1e-6: half for the ρ conversion, half for choosing categories). Age is bounded by the
 * public range 17–90 in 16 bins; every category is chosen privately. Reported: quality (column
 * shapes and pair trends against the training part) and train-on-synthetic, test-on-real ROC AUC
 * next to train-on-real. Seeded noise, so the figures are reproducible; production draws from
 * the cryptographic source.
 */
const rows = readAdultRows(ADULT_CSV) as SynthRow[];
const columns: SynthColumn[] = Object.keys(rows[0]!).map((name) => ({ name, kind: name === 'age' ? 'integer' : 'categorical' }));
const DELTA = 1e-6;

function run(epsilon: number) {
  const result = synthesize(
    { columns, rows },
    {
      rows: 24_130,
      seed: 2024,
      label: 'salary-class',
      minCategoryCount: 11,
      private: {
        rho: rhoFromEpsilon(epsilon, DELTA / 2),
        delta: DELTA / 2,
        maxRowsPerSubject: 1,
        domains: new Map([['age', { kind: 'range', min: 17, max: 91, bins: 16 }]]),
        bits: seededRandomBits(`adult-${epsilon}`),
      },
    },
  );
  const { quality, utility } = result.reports;
  console.log(
    `Adult private synthesis ε=${epsilon}: quality ${quality.overall.toFixed(3)}, TSTR ROC AUC ${utility!.syntheticTrained.rocAuc.toFixed(3)} ` +
      `vs train-on-real ${utility!.realTrained.rocAuc.toFixed(3)} (gap ${utility!.gaps.rocAuc.toFixed(3)}), F1 gap ${utility!.gaps.f1.toFixed(3)}`,
  );
  return result;
}

describe('private synthesis on UCI Adult', () => {
  it('ε = 10: quality ≥ 0.96, TSTR ROC AUC within 0.02 of train-on-real, release gate passes', () => {
    const result = run(10);
    expect(result.reports.quality.overall).toBeGreaterThanOrEqual(0.96);
    expect(Math.abs(result.reports.utility!.gaps.rocAuc)).toBeLessThanOrEqual(0.02);
    expect(result.decision).toEqual({ kind: 'publish' });
  });

  it('ε = 1: quality ≥ 0.93, TSTR ROC AUC within 0.04 of train-on-real', () => {
    const result = run(1);
    expect(result.reports.quality.overall).toBeGreaterThanOrEqual(0.93);
    expect(Math.abs(result.reports.utility!.gaps.rocAuc)).toBeLessThanOrEqual(0.04);
    expect(result.privateAccount!.rho).toBeCloseTo(rhoFromEpsilon(1, DELTA / 2), 12);
  });
});
