/**
 * Synthetic data: (a) fit + sample 100,000 demo admissions (16 columns, 5 of them identifiers)
 * against fitting independent marginals only; (b) the full report set (quality, TSTR, privacy)
 * against the generation time; (c) quality and train-on-synthetic utility on UCI Adult, against
 * the real holdout's own quality and train-on-real.
 */
import { existsSync } from 'node:fs';
import { ADULT_CSV, readAdultRows } from '@airlock/testing';
import { createRng } from '@airlock/core';
import { generateAdmissions } from '@airlock/demo';
import { fitGenerator, privacyReport, qualityReport, sampleRows, splitRows, synthesize, utilityReport } from '@airlock/synth';
import type { SynthColumn, SynthRow, SynthTable } from '@airlock/synth';
import { timeMs, type BenchContext, type BenchResult } from './harness.ts';

const ADULT = process.env['AIRLOCK_ADULT_CSV'] ?? ADULT_CSV;
const SEED = 2024;

const DEMO_SYNTH_COLUMNS: SynthColumn[] = [
  { name: 'admission_id', kind: 'identifier', fake: 'id' },
  { name: 'mrn', kind: 'identifier', fake: 'mrn' },
  { name: 'name', kind: 'identifier', fake: 'name' },
  { name: 'ssn', kind: 'identifier', fake: 'ssn' },
  { name: 'email', kind: 'identifier', fake: 'email' },
  { name: 'birth_date', kind: 'date' },
  { name: 'sex', kind: 'categorical' },
  { name: 'zip', kind: 'categorical' },
  { name: 'admitted_at', kind: 'timestamp' },
  { name: 'discharged_at', kind: 'timestamp' },
  { name: 'ward', kind: 'categorical' },
  { name: 'diagnosis', kind: 'categorical' },
  { name: 'prior_admissions', kind: 'integer' },
  { name: 'length_of_stay', kind: 'integer' },
  { name: 'cost', kind: 'numeric' },
  { name: 'readmitted', kind: 'boolean' },
];

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const n = ctx.quick ? 10_000 : 100_000;
  ctx.log(`demo admissions: generating ${n} rows`);
  const table: SynthTable = { columns: DEMO_SYNTH_COLUMNS, rows: Array.from(generateAdmissions({ rows: n, seed: SEED }), (row) => ({ ...row })) };
  const fitOptions = { seed: SEED, minCategoryCount: 11, label: 'readmitted' };

  // (a) Generation: Bayesian network against independent marginals, same rows, same sizes.
  let fitMs = 0;
  let sampleMs = 0;
  const generateMs = await timeMs(async () => {
    const start = performance.now();
    const model = fitGenerator(table, fitOptions);
    fitMs = performance.now() - start;
    sampleRows(model, n, SEED);
    sampleMs = performance.now() - start - fitMs;
  });
  const marginalsMs = await timeMs(async () => sampleRows(fitGenerator(table, { ...fitOptions, maxParents: 0 }), n, SEED));
  const copyMs = await timeMs(async () => createRng(SEED).shuffle(table.rows.map((row) => ({ ...row }))));
  results.push({
    name: `synth fit + sample, ${n} rows × ${table.columns.length} columns (demo admissions)`,
    figure: generateMs,
    unit: 'ms',
    baseline: { name: 'independent marginals only, fit + sample', figure: marginalsMs },
    notes: `fit ${fitMs.toFixed(0)} ms, sample ${sampleMs.toFixed(0)} ms; copying and shuffling the real rows takes ${copyMs.toFixed(0)} ms`,
  });

  // (b) Reports on an 80/20 split, synthetic rows as many as the real table.
  const split = splitRows(table, 'readmitted', 0.2, SEED);
  const splitModel = fitGenerator({ columns: table.columns, rows: split.train }, fitOptions);
  const splitSynthetic = sampleRows(splitModel, n, SEED);
  const timings = { quality: 0, utility: 0, privacy: 0 };
  const summary: string[] = [];
  const reportMs = await timeMs(async () => {
    let start = performance.now();
    const quality = qualityReport(split.train, splitSynthetic, table.columns);
    timings.quality = performance.now() - start;
    start = performance.now();
    const utility = utilityReport(split, splitSynthetic, table.columns, { label: 'readmitted' });
    timings.utility = performance.now() - start;
    start = performance.now();
    const privacy = privacyReport(split, splitSynthetic, table.columns, { seed: SEED });
    timings.privacy = performance.now() - start;
    summary.push(
      `quality ${quality.overall.toFixed(3)}`,
      `TSTR AUC ${utility.syntheticTrained.rocAuc.toFixed(3)} vs TRTR ${utility.realTrained.rocAuc.toFixed(3)}`,
      `exact-match ratio ${privacy.exactMatch.ratio.toFixed(3)}`,
      `closer-to-train ${privacy.dcr.closerToTrainShare.toFixed(3)}`,
    );
  });
  results.push({
    name: `synth reports (quality + TSTR + privacy), ${n} synthetic rows`,
    figure: reportMs,
    unit: 'ms',
    baseline: { name: 'fit + sample the same rows', figure: generateMs },
    notes: `quality ${timings.quality.toFixed(0)} ms, utility ${timings.utility.toFixed(0)} ms, privacy ${timings.privacy.toFixed(0)} ms (DCR on 2,000 rows); ${summary.join(', ')}`,
  });

  // (c) UCI Adult: the acceptance figures.
  if (!existsSync(ADULT)) {
    ctx.log(`UCI Adult not found at ${ADULT} (set AIRLOCK_ADULT_CSV): skipping its figures`);
    return results;
  }
  const adult = readAdult(ADULT);
  const result = synthesize(adult, { rows: Math.round(adult.rows.length * 0.8), seed: SEED, label: 'salary-class', minCategoryCount: 11 });
  const adultSplit = splitRows(adult, 'salary-class', 0.2, SEED);
  const holdoutQuality = qualityReport(adultSplit.train, adultSplit.holdout, adult.columns);
  const { quality, utility, privacy } = result.reports;
  results.push({
    name: 'synth quality on UCI Adult (SDMetrics quality score)',
    figure: quality.overall,
    unit: 'score',
    baseline: { name: 'real holdout vs real training', figure: holdoutQuality.overall },
    notes: `column shapes ${quality.columnShapes.score.toFixed(4)}, pair trends ${quality.columnPairTrends.score.toFixed(4)}; fit ${result.timings.fit.toFixed(0)} ms, sample ${result.timings.sample.toFixed(0)} ms for ${result.rows.length} rows (published SDGym GaussianCopula: quality 0.846, fit 19 s, sample 4 s)`,
  });
  results.push({
    name: 'synth TSTR ROC AUC on UCI Adult (logistic regression, >50K positive)',
    figure: utility!.syntheticTrained.rocAuc,
    unit: 'ROC AUC',
    baseline: { name: 'train on real (TRTR)', figure: utility!.realTrained.rocAuc },
    notes: `F1 ${utility!.syntheticTrained.f1.toFixed(4)} vs ${utility!.realTrained.f1.toFixed(4)}; accuracy ${utility!.syntheticTrained.accuracy.toFixed(4)} vs ${utility!.realTrained.accuracy.toFixed(4)}; privacy: exact-match ratio ${privacy.exactMatch.ratio.toFixed(3)}, closer-to-train ${privacy.dcr.closerToTrainShare.toFixed(3)}, new rows ${(privacy.newRowRate * 100).toFixed(1)}%, decision ${result.decision.kind}`,
  });
  return results;
}

/** Adult as a synthesis table: age is an integer, the rest categorical. */
function readAdult(path: string): SynthTable {
  const rows = readAdultRows(path) as SynthRow[];
  const columns: SynthColumn[] = Object.keys(rows[0]!).map((name) => ({ name, kind: name === 'age' ? 'integer' : 'categorical' }));
  return { columns, rows };
}
