import { createRng, isAirlockError } from '@airlock/core';
import { seededRandomBits } from '@airlock/noise';
import { describe, expect, it } from 'vitest';
import { fitGenerator, sampleRows } from './generator.ts';
import { OTHER_CATEGORY } from './model.ts';
import type { GeneratorModel } from './model.ts';
import type { PublicDomain } from './private-domain.ts';
import { fitPrivateGenerator } from './private-generator.ts';
import type { SynthColumn, SynthRow } from './types.ts';

const columns: SynthColumn[] = [
  { name: 'id', kind: 'identifier', fake: 'token' },
  { name: 'ward', kind: 'categorical' },
  { name: 'sex', kind: 'categorical' },
  { name: 'age', kind: 'integer' },
  { name: 'admitted', kind: 'date' },
  { name: 'discharged', kind: 'date' },
  { name: 'readmitted', kind: 'boolean' },
];

const DOMAINS = new Map<string, PublicDomain>([
  ['sex', { kind: 'values', values: ['F', 'M'] }],
  ['age', { kind: 'range', min: 0, max: 100, bins: 20 }],
  ['admitted', { kind: 'range', min: 19_000, max: 19_365, bins: 12 }],
  ['discharged', { kind: 'range', min: 0, max: 30, bins: 10, after: 'admitted' }],
]);

/** A ward table: age drives readmission, cardiology stays longer; every row its own person. */
function wardRows(count: number, seed: string, ages: (rng: ReturnType<typeof createRng>) => number = (rng) => Math.round(20 + 40 * rng.next())): SynthRow[] {
  const rng = createRng(seed);
  const wards = ['cardio', 'cardio', 'ortho', 'neuro'];
  return Array.from({ length: count }, (_, i) => {
    const ward = rng.pick(wards);
    const age = ages(rng);
    const admitted = 19_000 + rng.int(300);
    return {
      id: `p${i}`,
      ward,
      sex: rng.next() < 0.5 ? 'F' : 'M',
      age,
      admitted: isoDay(admitted),
      discharged: isoDay(admitted + rng.int(5) + (ward === 'cardio' ? 6 : 0)),
      readmitted: rng.next() < (age > 45 ? 0.6 : 0.15),
    };
  });
}

function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

function fit(rows: readonly SynthRow[], epsilonLike: number, seed: string, extra: Partial<Parameters<typeof fitPrivateGenerator>[1]> = {}): GeneratorModel {
  return fitPrivateGenerator(
    { columns, rows },
    { rho: epsilonLike, delta: 1e-6, maxRowsPerSubject: 1, domains: DOMAINS, label: 'readmitted', seed, bits: seededRandomBits(seed), ...extra },
  ).model;
}

function caught(call: () => unknown): { code?: string; message?: string } {
  try {
    call();
  } catch (error) {
    return isAirlockError(error) ? { code: error.code, message: error.message } : { message: String(error) };
  }
  return {};
}

describe('fitPrivateGenerator', () => {
  it('spends exactly the ρ it is given, split as documented', () => {
    const { account } = fitPrivateGenerator(
      { columns, rows: wardRows(2000, 'split') },
      { rho: 0.5, delta: 1e-6, maxRowsPerSubject: 1, domains: DOMAINS, label: 'readmitted', seed: 's', bits: seededRandomBits('split') },
    );
    const { selection, marginals, structure, conditionals } = account.phases;
    expect(selection + marginals + structure + conditionals).toBeCloseTo(0.5, 12);
    expect(selection).toBeCloseTo(0.05, 12); // one undeclared category column: ward
    // Five non-label columns: five (label, column) tables, four parent choices, four families.
    expect(account.structureChoices).toBe(4);
    expect(account.sigma.marginals).toBeCloseTo(1 / Math.sqrt((2 * marginals) / 5), 9);
    expect(account.sigma.conditionals!).toBeCloseTo(1 / Math.sqrt((2 * conditionals) / 4), 9);
    expect(account.structureEpsilon!).toBeCloseTo(Math.sqrt((8 * structure) / 4), 12);
  });

  it('keeps the model inside the public domains: bins from the bounds, declared values, no data quantiles', () => {
    const model = fit(wardRows(3000, 'domains'), 1, 'domains');
    const age = model.columns.find((c) => c.name === 'age')!;
    expect(age.kind).toBe('integer');
    const bins = (age as { states: readonly (readonly number[] | null)[] }).states;
    expect(bins).toHaveLength(21);
    expect(bins[0]).toEqual([0, 5]);
    expect(bins[19]).toEqual([95, 100]);
    expect(bins[20]).toBeNull();
    const sex = model.columns.find((c) => c.name === 'sex') as { states: readonly (string | null)[] };
    expect(sex.states).toEqual(['F', 'M', null]);
    const discharged = model.columns.find((c) => c.name === 'discharged') as { offsetFrom: string | null };
    expect(discharged.offsetFrom).toBe('admitted');
    // No identifier value and no null rate learnt from the identifiers.
    expect(JSON.stringify(model)).not.toContain('"p1"');
    expect(model.columns.find((c) => c.name === 'id')).toEqual({ name: 'id', kind: 'identifier', fake: 'token', nullRate: 0 });
  });

  it('never selects a category only one subject has (partition selection), whatever its row count', () => {
    // One subject with 5 rows of a one-off ward, and a contribution bound of 5: the threshold is
    // set so the value shows with probability ≤ δ; in 30 fits it never does, while wards of
    // hundreds of subjects always do.
    const rows = wardRows(2000, 'rare');
    const subjects = rows.map((_, i) => `s${i}`);
    for (let i = 0; i < 5; i++) {
      rows[i] = { ...rows[i]!, ward: 'one-person-ward' };
      subjects[i] = 'the-one';
    }
    for (let trial = 0; trial < 30; trial++) {
      const model = fit(rows, 1, `rare-${trial}`, { subjects, maxRowsPerSubject: 5 });
      const ward = model.columns.find((c) => c.name === 'ward') as { states: readonly (string | null)[] };
      expect(ward.states).not.toContain('one-person-ward');
      expect(ward.states).toEqual(expect.arrayContaining(['cardio', 'ortho', 'neuro', OTHER_CATEGORY, null]));
    }
  });

  it('bounds contributions: rows beyond m per subject are not used', () => {
    const rows = wardRows(1000, 'bound');
    const subjects = rows.map((_, i) => (i < 300 ? 'frequent' : `s${i}`));
    const { account } = fitPrivateGenerator(
      { columns, rows },
      { rho: 1, delta: 1e-6, maxRowsPerSubject: 3, subjects, domains: DOMAINS, label: 'readmitted', seed: 'b', bits: seededRandomBits('b') },
    );
    expect(account.boundedAway).toBe(297);
  });

  it('keeps what the data says: quality of samples at ε≈10 on 5,000 rows', () => {
    const rows = wardRows(5000, 'utility');
    const model = fit(rows, 1.3, 'utility'); // ρ = 1.3 ≈ ε 10 at δ 1e-6
    const synthetic = sampleRows(model, 5000, 'u');
    const rate = (list: readonly SynthRow[], pick: (r: SynthRow) => boolean) => list.filter(pick).length / list.length;
    const old = (r: SynthRow) => Number(r['age']) > 45;
    // Readmission depends on age in the real rows; the synthetic rows keep the dependence.
    const realGap = rate(rows.filter(old), (r) => r['readmitted'] === true) - rate(rows.filter((r) => !old(r)), (r) => r['readmitted'] === true);
    const synGap = rate(synthetic.filter(old), (r) => r['readmitted'] === true) - rate(synthetic.filter((r) => !old(r)), (r) => r['readmitted'] === true);
    expect(realGap).toBeGreaterThan(0.35);
    expect(Math.abs(synGap - realGap)).toBeLessThan(0.1);
    // Discharge never before admission, as the `after` domain models it.
    expect(synthetic.every((r) => r['discharged'] === null || r['admitted'] === null || String(r['discharged']) >= String(r['admitted']))).toBe(true);
  });

  it('refuses a numeric column without public bounds, naming the column and the fix', () => {
    const error = caught(() => fit(wardRows(100, 'nobounds'), 1, 'x', { domains: new Map([...DOMAINS].filter(([name]) => name !== 'age')) }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('"age"');
    expect(error.message).toContain('zones.synthetic.privacy.bounds');
    expect(caught(() => fit(wardRows(100, 'rho'), 0, 'x')).code).toBe('BAD_REQUEST');
  });
});

/*
 * Membership inference against the released rows. The target is a person unlike everyone else
 * (age 97, where nobody else is over 60). The attacker counts synthetic rows over 60 and says
 * "in" above a cut-off; the cut-off is chosen after the fact as the best one over all trials,
 * which flatters the attacker. Worlds with and without the target alternate; base rate 50%. With
 * the ordinary generator the attacker is right every time (the oldest quantile knot is the
 * target's age); with the private one at ε = 1 (ρ ≈ 0.017) they stay within the e^ε/(1+e^ε) ≈ 73%
 * that ε = 1 allows, near a coin.
 */
describe('membership inference on an outlier', () => {
  const TRIALS = 80;
  const base = (trial: number) => wardRows(1500, `mia-${trial}`);
  const target: SynthRow = { id: 'target', ward: 'neuro', sex: 'F', age: 97, admitted: isoDay(19_100), discharged: isoDay(19_103), readmitted: true };

  function bestAccuracy(fitOne: (rows: SynthRow[], trial: number) => GeneratorModel): number {
    const seen: Array<{ count: number; member: boolean }> = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const member = trial % 2 === 0;
      const rows = member ? [...base(trial), target] : base(trial);
      const count = sampleRows(fitOne(rows, trial), 1500, `mia-sample-${trial}`).filter((r) => Number(r['age'] ?? 0) > 60).length;
      seen.push({ count, member });
    }
    let best = 0;
    for (const cutoff of new Set([-1, ...seen.map((s) => s.count)])) {
      const right = seen.filter((s) => s.count > cutoff === s.member).length;
      best = Math.max(best, right / TRIALS);
    }
    console.log(`membership inference on an outlier: best attacker accuracy ${(best * 100).toFixed(1)}% (base rate 50%)`);
    return best;
  }

  it('the ordinary generator gives the outlier away (the attack works)', () => {
    expect(bestAccuracy((rows, trial) => fitGenerator({ columns, rows }, { seed: trial, minCategoryCount: 5, label: 'readmitted' }))).toBeGreaterThanOrEqual(0.9);
  });

  it('the private generator at ε = 1 does not: within what ε allows, near the base rate', () => {
    const rho = 0.0167; // ε = 1 at δ = 5e-7
    expect(bestAccuracy((rows, trial) => fit(rows, rho, `mia-fit-${trial}`))).toBeLessThanOrEqual(0.73);
  });
});
