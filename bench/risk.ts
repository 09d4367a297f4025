/**
 * Re-identification risk on 1,000,000 demo admissions (the quasi-identifiers of the default
 * policy as the deidentified zone holds them: age, sex, ZIP3, admission and discharge months;
 * diagnosis sensitive; counted in distinct patients): (a) measuring k, l and prosecutor risk,
 * against grouping the rows by a string key in a Map (the plain way); (b) the least-loss
 * generalization search meeting k = 5, l = 2 with at most 5% suppressed, against (a). Peak
 * memory (RSS) is reported in the notes. Then (c) differentially private synthesis of UCI Adult
 * at ε = 1 and ε = 10 (fit, sample and reports), against the ordinary generator in the same run,
 * with quality and the train-on-synthetic utility gap in the notes.
 */
import { generateAdmissions } from '@airlock/demo';
import { rhoFromEpsilon } from '@airlock/privacy';
import { anonymize, assess, buildHierarchy, encodeColumn, type RiskTable } from '@airlock/risk';
import { synthesize, type SynthColumn, type SynthesisResult, type SynthRow } from '@airlock/synth';
import { ADULT_CSV, readAdultRows } from '@airlock/testing';
import { timeMs, type BenchContext, type BenchResult } from './harness.ts';

const SEED = 2024;

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const n = ctx.quick ? 100_000 : 1_000_000;
  ctx.log(`demo admissions: generating ${n} rows (quasi-identifier columns only)`);
  const age = new Array<number>(n);
  const sex = new Array<string>(n);
  const zip = new Array<string>(n);
  const admitted = new Array<string>(n);
  const discharged = new Array<string>(n);
  const diagnosis = new Array<string>(n);
  const mrn = new Array<string>(n);
  let i = 0;
  for (const row of generateAdmissions({ rows: n, seed: SEED })) {
    const years = Number(row.admitted_at.slice(0, 4)) - Number(row.birth_date.slice(0, 4)) - (row.admitted_at.slice(5, 10) < row.birth_date.slice(5, 10) ? 1 : 0);
    age[i] = Math.min(90, years);
    sex[i] = row.sex;
    zip[i] = row.zip.slice(0, 3);
    admitted[i] = row.admitted_at.slice(0, 7);
    discharged[i] = row.discharged_at.slice(0, 7);
    diagnosis[i] = row.diagnosis;
    mrn[i] = row.mrn;
    i += 1;
  }
  let peakRss = process.memoryUsage().rss;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

  let table: RiskTable | undefined;
  const encodeMs = await timeMs(async () => {
    const quasi = (name: string, values: unknown[], spec: Parameters<typeof buildHierarchy>[0]) => {
      const encoded = encodeColumn(values);
      return { name, codes: encoded.codes, hierarchy: buildHierarchy(spec, encoded.dictionary) };
    };
    const d = encodeColumn(diagnosis);
    table = {
      rows: n,
      quasiIdentifiers: [
        quasi('birth_date', age, { kind: 'numeric', bands: [5, 10, 20], topCode: 90, maxLevel: 3 }),
        quasi('sex', sex, { kind: 'flat' }),
        quasi('zip', zip, { kind: 'prefix', keep: [2, 1] }),
        quasi('admitted_at', admitted, { kind: 'date' }),
        quasi('discharged_at', discharged, { kind: 'date' }),
      ],
      sensitive: [{ name: 'diagnosis', codes: d.codes, cardinality: d.dictionary.length }],
      subjects: encodeColumn(mrn).codes,
    };
  });
  let k = 0;
  const measureMs = await timeMs(async () => {
    k = assess(table!, 0.2).k;
  });
  // Baseline: the same k (distinct patients per class) with string keys in Maps, row by row.
  let plainK = 0;
  const plainMs = await timeMs(async () => {
    const classes = new Map<string, Set<string>>();
    for (let r = 0; r < n; r++) {
      const key = `${age[r]}|${sex[r]}|${zip[r]}|${admitted[r]}|${discharged[r]}`;
      let set = classes.get(key);
      if (set === undefined) classes.set(key, (set = new Set()));
      set.add(mrn[r]!);
    }
    plainK = Number.POSITIVE_INFINITY;
    for (const set of classes.values()) plainK = Math.min(plainK, set.size);
  });
  let report: ReturnType<typeof anonymize>['report'] | undefined;
  const searchMs = await timeMs(async () => {
    report = anonymize(table!, { k: 5, l: 2, maxSuppressed: 0.05 }).report;
  });
  clearInterval(sample);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  if (k !== plainK) throw new Error(`k differs: risk package ${k}, plain Map ${plainK}`);
  const r = report!;
  const memory = `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB (including the generated columns)`;
  return [
    ...(await privateSynthesis(ctx)),
    {
      name: `risk measures (k, l, prosecutor) on ${n} rows × 5 quasi-identifiers, distinct patients`,
      figure: measureMs + encodeMs,
      unit: 'ms',
      baseline: { name: 'k alone with string keys in a Map, row by row', figure: plainMs },
      notes: `encode ${encodeMs.toFixed(0)} ms + measure ${measureMs.toFixed(0)} ms; k before = ${k}; ${memory}`,
    },
    {
      name: `least-loss generalization search, k 5, l 2, ≤ 5% suppressed, ${n} rows`,
      figure: searchMs,
      unit: 'ms',
      baseline: { name: 'one measurement of the table (a)', figure: measureMs },
      notes:
        `${r.decision}; ${r.search.evaluated} of ${r.search.latticeSize} nodes measured${r.search.optimal ? ' (optimal)' : ''}; ` +
        `k ${r.after?.k ?? '-'}, l ${r.after?.l.map((x) => x.l).join('/') ?? '-'}, suppressed ${(r.suppressed.share * 100).toFixed(2)}%, ` +
        `information loss ${r.informationLoss?.toFixed(3) ?? '-'}; levels ${r.generalization.map((g) => `${g.column}:${g.name}`).join(', ')}; ${memory}`,
    },
  ];
}

async function privateSynthesis(ctx: BenchContext): Promise<BenchResult[]> {
  const rows = readAdultRows(ADULT_CSV) as SynthRow[];
  const columns: SynthColumn[] = Object.keys(rows[0]!).map((name) => ({ name, kind: name === 'age' ? 'integer' : 'categorical' }));
  const delta = 1e-6;
  const run = (epsilon: number | undefined): SynthesisResult =>
    synthesize(
      { columns, rows },
      {
        rows: rows.length,
        seed: SEED,
        label: 'salary-class',
        minCategoryCount: 11,
        ...(epsilon === undefined
          ? {}
          : { private: { rho: rhoFromEpsilon(epsilon, delta / 2), delta: delta / 2, maxRowsPerSubject: 1, domains: new Map([['age', { kind: 'range' as const, min: 15, max: 95, bins: 16 }]]) } }),
      },
    );
  const describe = (r: SynthesisResult) =>
    `quality ${r.reports.quality.overall.toFixed(3)}, TSTR ROC AUC ${r.reports.utility!.syntheticTrained.rocAuc.toFixed(3)} vs ${r.reports.utility!.realTrained.rocAuc.toFixed(3)} on real (gap ${r.reports.utility!.gaps.rocAuc.toFixed(3)}), F1 gap ${r.reports.utility!.gaps.f1.toFixed(3)}`;
  let ordinary: SynthesisResult | undefined;
  ctx.log('Adult: ordinary generator');
  const ordinaryMs = await timeMs(async () => {
    ordinary = run(undefined);
  });
  const out: BenchResult[] = [];
  for (const epsilon of [1, 10]) {
    ctx.log(`Adult: private generator at ε = ${epsilon}`);
    let result: SynthesisResult | undefined;
    const ms = await timeMs(async () => {
      result = run(epsilon);
    });
    out.push({
      name: `private synthesis of Adult (30,162 rows), ε = ${epsilon}, δ = 1e-6`,
      figure: ms,
      unit: 'ms',
      baseline: { name: 'ordinary Bayesian network, same pipeline', figure: ordinaryMs },
      notes: `${describe(result!)}; fit ${result!.timings.fit.toFixed(0)} ms; ordinary: ${describe(ordinary!)}`,
    });
  }
  return out;
}
