import { createRng, minOf } from '@airlock/core';
import { createDeidentifier, InMemoryKeyring, InMemorySurrogateResolver } from '@airlock/deid';
import { generateAdmissions } from '@airlock/demo';
import { deidentifiedRisk } from '@airlock/policy';
import { readAdultRows, repoPolicy } from '@airlock/testing';
import { describe, expect, it } from 'vitest';
import { anonymize } from './anonymize.ts';
import { evaluateNode, type Node } from './evaluate.ts';
import { riskTableOf } from './policy-table.ts';
import { searchGeneralization } from './search.ts';
import { buildSnapshot } from './snapshot.ts';
import { tableOf } from './test-tables.ts';

/** Every node of the lattice, measured: the ground truth the best-first search must match. */
function exhaustiveBest(snapshot: ReturnType<typeof buildSnapshot>, targets: { k: number; l: number; maxSuppressed: number }): number | undefined {
  const heights = snapshot.table.quasiIdentifiers.map((q) => q.hierarchy.levels.length);
  let best: number | undefined;
  const visit = (prefix: number[]): void => {
    if (prefix.length === heights.length) {
      const e = evaluateNode(snapshot, prefix as Node, targets);
      if (e.meets && (best === undefined || e.loss < best)) best = e.loss;
      return;
    }
    for (let level = 0; level < heights[prefix.length]!; level++) visit([...prefix, level]);
  };
  visit([]);
  return best;
}

describe('the generalization search', () => {
  it('finds the least-loss node that meets the targets, as an exhaustive search does (40 random tables)', () => {
    const rng = createRng('risk-search');
    for (let trial = 0; trial < 40; trial++) {
      const rows = 30 + Math.floor(rng.next() * 200);
      const pick = (n: number) => Array.from({ length: rows }, () => Math.floor(rng.next() * n));
      const table = tableOf(
        [
          { name: 'age', values: pick(80).map((a) => a + 10), spec: { kind: 'numeric', bands: [5, 10, 20], topCode: 80 } },
          { name: 'zip', values: pick(30).map((z) => String(900 + z * 3)), spec: { kind: 'prefix', keep: [2, 1] } },
          { name: 'month', values: pick(24).map((m) => `${2022 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`), spec: { kind: 'date' } },
          { name: 'sex', values: pick(2).map((s) => (s ? 'F' : 'M')), spec: { kind: 'flat' } },
        ],
        [{ name: 'diagnosis', values: pick(4) }],
        pick(Math.floor(rows * 0.7)),
      );
      const targets = { k: 2 + Math.floor(rng.next() * 4), l: 1 + Math.floor(rng.next() * 2), maxSuppressed: rng.next() * 0.1 };
      const snapshot = buildSnapshot(table);
      const result = searchGeneralization(snapshot, targets);
      const truth = exhaustiveBest(snapshot, targets);
      expect(result.optimal).toBe(true);
      if (truth === undefined) expect(result.best).toBeUndefined();
      else expect(result.best?.loss).toBeCloseTo(truth, 12);
    }
  });

  it('meets k = 5 and l = 2 on UCI Adult (30,162 people) with the policy’s hierarchies', async () => {
    const policy = await repoPolicy('adult');
    const risk = deidentifiedRisk(policy)!;
    const rows = readAdultRows();
    const table = riskTableOf(policy, risk, {
      rows: rows.length,
      // The deidentified zone clamps age at 90.
      column: (name) => rows.map((r) => (name === 'age' ? Math.min(90, Number(r[name])) : r[name])),
    });
    const { report, view } = anonymize(table, risk);
    expect(report.decision).toBe('published');
    expect(report.after!.k).toBeGreaterThanOrEqual(5);
    expect(report.after!.l).toEqual([{ column: 'occupation', l: expect.any(Number) }]);
    expect(report.after!.l[0]!.l).toBeGreaterThanOrEqual(2);
    expect(report.suppressed.share).toBeLessThanOrEqual(0.05);
    expect(report.search.optimal).toBe(true);
    // Figures for the report (printed, not asserted): k, l, suppressed share, information loss.
    console.info('adult', JSON.stringify({ before: { k: report.before.k, unique: report.before.uniqueShare }, after: { k: report.after!.k, l: report.after!.l }, suppressed: report.suppressed, loss: report.informationLoss, levels: report.generalization.map((g) => `${g.column}:${g.name}`), search: report.search }));
    // Oracle independent of the search: regroup the published rows and count them.
    const classes = new Map<string, { n: number; occupations: Set<unknown> }>();
    rows.forEach((row, i) => {
      if (view!.suppressed[i] === 1) return;
      const key = risk.quasiIdentifiers.map((q) => view!.columns.get(q)![i]).join('|');
      const c = classes.get(key) ?? { n: 0, occupations: new Set() };
      c.n += 1;
      c.occupations.add(row['occupation']);
      classes.set(key, c);
    });
    expect(minOf([...classes.values()].map((c) => c.n))).toBeGreaterThanOrEqual(5);
    expect(minOf([...classes.values()].map((c) => c.occupations.size))).toBeGreaterThanOrEqual(2);
  });

  it('meets k = 5 and l = 2 on the demo admissions (2,000 rows) counted in distinct patients', async () => {
    const policy = await repoPolicy('admissions');
    const risk = deidentifiedRisk(policy)!;
    const deidentifier = createDeidentifier(policy, InMemoryKeyring.generate(1), { surrogates: new InMemorySurrogateResolver() });
    const raw = [...generateAdmissions({ rows: 2000, seed: 'risk-test' })];
    const published = raw.map((row) => deidentifier.deidentifyRow(row as unknown as Record<string, unknown>, { subjectKey: row.mrn }).row);
    const table = riskTableOf(policy, risk, { rows: raw.length, column: (name) => published.map((r) => r[name]), subjects: raw.map((r) => r.mrn) });
    expect(risk.quasiIdentifiers).toEqual(['birth_date', 'sex', 'zip', 'admitted_at', 'discharged_at']);
    const { report, view } = anonymize(table, risk);
    expect(report.before.uniqueShare).toBeGreaterThan(0.9);
    expect(report.decision).toBe('published');
    expect(report.after!.k).toBeGreaterThanOrEqual(5);
    expect(report.after!.uniqueShare).toBe(0);
    expect(report.after!.l[0]!.l).toBeGreaterThanOrEqual(2);
    expect(report.suppressed.share).toBeLessThanOrEqual(0.05);
    console.info('admissions', JSON.stringify({ before: { k: report.before.k, unique: report.before.uniqueShare }, after: { k: report.after!.k, l: report.after!.l }, suppressed: report.suppressed, loss: report.informationLoss, levels: report.generalization.map((g) => `${g.column}:${g.name}`), search: report.search }));
    // Oracle: distinct patients per published class, regrouped from the view and the raw MRNs.
    const classes = new Map<string, Set<string>>();
    raw.forEach((row, i) => {
      if (view!.suppressed[i] === 1) return;
      const key = risk.quasiIdentifiers.map((q) => view!.columns.get(q)![i]).join('|');
      classes.set(key, (classes.get(key) ?? new Set()).add(row.mrn));
    });
    expect(minOf([...classes.values()].map((s) => s.size))).toBeGreaterThanOrEqual(5);
  });
});
