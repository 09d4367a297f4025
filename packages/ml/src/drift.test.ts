import { describe, expect, it } from 'vitest';
import { createRng } from '@airlock/core';
import { compareModels } from './compare.ts';
import { buildReference, featureDrift } from './drift.ts';
import { fitEncoder } from './encoder.ts';
import { PLANTED_FEATURES, plantedRows } from './fixtures.ts';
import type { FeatureSpec, Row } from './types.ts';

const TRAINING = plantedRows(3000, { seed: 1 });

describe('featureDrift against training rows', () => {
  it('calls an identical batch stable and a shifted one act, feature by feature', () => {
    const same = featureDrift(TRAINING, TRAINING, PLANTED_FEATURES);
    expect(same.map((d) => [d.feature, d.psi, d.level])).toEqual(PLANTED_FEATURES.map((f) => [f.name, 0, 'stable']));

    const shifted = TRAINING.map((r) => ({
      ...r,
      x1: (r['x1'] as number) * 2 + 1,
      color: r['color'] === 'a' ? 'c' : r['color'],
      member: true,
      visit: '2030-01-01',
    }));
    const drift = featureDrift(TRAINING, shifted, PLANTED_FEATURES);
    expect(Object.fromEntries(drift.map((d) => [d.feature, d.level]))).toEqual({ x1: 'act', x2: 'stable', color: 'act', member: 'act', visit: 'act' });
    expect(drift[0]).toMatchObject({ kind: 'numeric', referenceSize: 3000, batchSize: 3000 });
  });

  it('counts a rise in missing values as drift', () => {
    const features: FeatureSpec[] = [{ name: 'x2', kind: 'numeric' }];
    const rng = createRng(4);
    const holey = TRAINING.map((r) => ({ ...r, x2: rng.next() < 0.4 ? null : r['x2'] }));
    const [drift] = featureDrift(TRAINING, holey, features);
    // Null share 2% → ~41%: (0.41 − 0.02)·ln(0.41/0.02) ≈ 1.2 from the null bin alone.
    expect(drift!.psi).toBeGreaterThan(1);
    expect(drift!.level).toBe('act');
    const allNull = featureDrift(TRAINING, [{ x2: null }], features)[0]!;
    expect(allNull.level).toBe('act');
  });

  it('refuses an empty batch, missing features and unknown ones', () => {
    expect(() => featureDrift(TRAINING, [], PLANTED_FEATURES)).toThrow(/batch to check for drift is empty/);
    expect(() => featureDrift(TRAINING, [{ x1: 1 }], PLANTED_FEATURES)).toThrow(/row 0: missing feature "x2"/);
    expect(() => featureDrift(TRAINING, TRAINING)).toThrow(/needs the features/);
    const reference = buildReference(TRAINING, fitEncoder(TRAINING, { features: PLANTED_FEATURES, target: { name: 'label', kind: 'binary' } }), 1);
    expect(() => featureDrift(reference, TRAINING, [{ name: 'agee', kind: 'numeric' }])).toThrow(/unknown feature "agee"; known: x1, x2, color, member, visit/);
  });
});

describe('buildReference', () => {
  const rows: Row[] = Array.from({ length: 5000 }, (_, i) => ({ n: i, city: i % 1000 === 0 ? `rare-${i}` : i % 2 ? 'north' : 'south', y: i % 3 === 0 }));
  const encoder = fitEncoder(rows, {
    features: [
      { name: 'n', kind: 'numeric' },
      { name: 'city', kind: 'categorical', topN: 2 },
    ],
    target: { name: 'y', kind: 'binary' },
  });
  const reference = buildReference(rows, encoder, 9);

  it('keeps at most 2,000 values per feature, each feature drawn on its own', () => {
    expect(reference.size).toBe(2000);
    const [n, city] = reference.features;
    expect(n!.values).toHaveLength(2000);
    expect(new Set<unknown>(n!.values).size).toBe(2000); // without replacement
    // Independent draws: the stored values do not line up into training records.
    const aligned = n!.values.filter((v, i) => city!.values[i] === ((v as number) % 2 ? 'north' : 'south')).length;
    expect(aligned).toBeLessThan(1200);
    expect(buildReference(rows, encoder, 9)).toEqual(reference);
  });

  it('stores categories the model does not keep as __unknown__', () => {
    const city = reference.features[1]!;
    expect(city).toMatchObject({ kind: 'categorical', keep: ['north', 'south'] });
    expect([...new Set<unknown>(city.values)].map(String).sort()).toEqual(['__unknown__', 'north', 'south']);
    expect(city.values.some((v) => String(v).startsWith('rare-'))).toBe(false);
  });
});

describe('compareModels', () => {
  const rng = createRng(2);
  const labels = Array.from({ length: 400 }, () => (rng.next() < 0.4 ? 1 : 0));
  const good = labels.map((y) => Math.min(1, Math.max(0, 0.5 + (y ? 0.25 : -0.25) + (rng.next() - 0.5) * 0.6)));
  const noise = labels.map(() => rng.next());

  it('reports McNemar and the paired bootstrap of AUC', () => {
    const same = compareModels(labels, good, good, { iterations: 200, seed: 1 });
    expect(same.mcnemar).toMatchObject({ b: 0, c: 0, p: 1 });
    expect(same.bootstrapAuc.difference).toBe(0);
    const better = compareModels(labels, good, noise, { iterations: 200, seed: 1 });
    expect(better.bootstrapAuc.aucA).toBeGreaterThan(better.bootstrapAuc.aucB);
    expect(better.bootstrapAuc.p).toBeLessThan(0.05);
    expect(better.mcnemar.b).toBeGreaterThan(better.mcnemar.c);
    expect(better.mcnemar.p).toBeLessThan(0.05);
  });

  it('turns invalid input into BAD_REQUEST', () => {
    expect(() => compareModels(labels, good, noise.slice(1))).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    expect(() => compareModels(labels, good.map((p) => p * 2), noise)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringContaining('index') }));
  });
});
