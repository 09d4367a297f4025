/**
 * Synthesis and training on 1,000,000 demo admissions (200,000 with AIRLOCK_BENCH_QUICK=1), the
 * sizes where spreading an array into a call (`push(...xs)`, `Math.max(...xs)`) used to throw
 * "Maximum call stack size exceeded" (issue 12). Each is timed against the same work on a tenth of
 * the rows, so the figure also shows whether time grows linearly.
 */
import { generateAdmissions } from '@airlock/demo';
import { initBackend, train, type FeatureSpec, type Row } from '@airlock/ml';
import { synthesize, type SynthColumn, type SynthRow, type SynthTable } from '@airlock/synth';
import { timeMs, type BenchContext, type BenchResult } from './harness.ts';

const SEED = 2026;

const COLUMNS: SynthColumn[] = [
  { name: 'mrn', kind: 'identifier', fake: 'mrn' },
  { name: 'birth_date', kind: 'date' },
  { name: 'sex', kind: 'categorical' },
  { name: 'ward', kind: 'categorical' },
  { name: 'diagnosis', kind: 'categorical' },
  { name: 'prior_admissions', kind: 'integer' },
  { name: 'length_of_stay', kind: 'integer' },
  { name: 'cost', kind: 'numeric' },
  { name: 'readmitted', kind: 'boolean' },
];

const FEATURES: FeatureSpec[] = [
  { name: 'sex', kind: 'categorical' },
  { name: 'ward', kind: 'categorical' },
  { name: 'prior_admissions', kind: 'numeric' },
  { name: 'length_of_stay', kind: 'numeric' },
  { name: 'cost', kind: 'numeric' },
];

function table(rows: number): SynthTable {
  const names = COLUMNS.map((column) => column.name);
  const out: SynthRow[] = [];
  for (const row of generateAdmissions({ rows, seed: SEED })) {
    out.push(Object.fromEntries(names.map((name) => [name, (row as unknown as Record<string, unknown>)[name]])) as SynthRow);
  }
  return { columns: COLUMNS, rows: out };
}

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const n = ctx.quick ? 200_000 : 1_000_000;
  const tenth = n / 10;
  const results: BenchResult[] = [];
  ctx.log(`generating ${n} and ${tenth} demo admissions`);
  const big = table(n);
  const small = table(tenth);
  const synthOptions = (rows: number) => ({ rows, seed: SEED, label: 'readmitted', minCategoryCount: 11 });

  ctx.log(`synthesize ${n} rows`);
  let decision = '';
  const synthBig = await timeMs(async () => {
    decision = synthesize(big, synthOptions(n)).decision.kind;
  });
  const synthSmall = await timeMs(async () => synthesize(small, synthOptions(tenth)));
  results.push({
    name: `synthesize (fit, sample, reports, gate), ${n.toLocaleString('en')} rows`,
    figure: synthBig,
    unit: 'ms',
    baseline: { name: `the same on ${tenth.toLocaleString('en')} rows`, figure: synthSmall },
    notes: `gate decision: ${decision}; no stack overflow`,
  });

  const backend = await initBackend();
  const request = (rows: readonly Row[]) => ({
    rows,
    features: FEATURES,
    target: { name: 'readmitted', kind: 'binary' as const, positive: true },
    kind: 'logistic_regression' as const,
    seed: SEED,
    hyperparameters: { epochs: 1, patience: 0 },
  });
  ctx.log(`train one epoch on ${n} rows (${backend.backend})`);
  const trainBig = await timeMs(() => train(request(big.rows as Row[])));
  const trainSmall = await timeMs(() => train(request(small.rows as Row[])));
  results.push({
    name: `train logistic regression, 1 epoch, ${n.toLocaleString('en')} rows`,
    figure: trainBig,
    unit: 'ms',
    baseline: { name: `the same on ${tenth.toLocaleString('en')} rows`, figure: trainSmall },
    notes: `${backend.backend} backend; split, encoding and evaluation included`,
  });
  return results;
}
