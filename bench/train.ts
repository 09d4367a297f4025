/**
 * Training core on UCI Adult (~24,000 training rows, 8 features, 100-odd encoded columns):
 * (a) seconds per epoch of an MLP classifier on every TensorFlow.js backend that loads here, against
 * the same epochs on the plain-JavaScript cpu backend; (b) single-row prediction latency in process
 * (encode + forward pass) against a bare logistic forward pass on an already encoded row;
 * (c) test ROC AUC of the MLP against logistic regression on the same split; (d) seconds per epoch
 * of a multi-class MLP (marital-status) against the binary one; (e) the card's assessment against
 * the training it follows. End-to-end job time through the trainer service: `bench/train-service.ts`.
 */
import { existsSync } from 'node:fs';
import { ADULT_CSV, readAdultRows } from '@airlock/testing';
import { assessModel, initBackend, loadModel, predictionLatency, splitIndices, train, type BackendName, type FeatureSpec, type Row, type TrainRequest, type TrainResult } from '@airlock/ml';
import { quantile, type BenchContext, type BenchResult } from './harness.ts';

const ADULT = process.env['AIRLOCK_ADULT_CSV'] ?? ADULT_CSV;
const TARGET = 'salary-class';
const SEED = 2024;
const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  if (!existsSync(ADULT)) {
    ctx.log(`UCI Adult not found at ${ADULT} (set AIRLOCK_ADULT_CSV): skipping`);
    return results;
  }
  const rows = readAdult(ADULT);
  const features: FeatureSpec[] = Object.keys(rows[0]!)
    .filter((name) => name !== TARGET)
    .map((name) => ({ name, kind: name === 'age' ? 'numeric' : 'categorical' }));
  // 80/10/10: about 24,000 training rows, the size the design targets.
  const base: TrainRequest = {
    rows,
    features,
    target: { name: TARGET, kind: 'binary', positive: '>50K' },
    kind: 'mlp_classifier',
    seed: SEED,
    splits: { validation: 0.1, test: 0.1 },
  };
  const timedEpochs = ctx.quick ? 2 : 5;

  // (a) Seconds per epoch, per backend. patience 0 so every backend runs the same epochs.
  const perEpoch = new Map<BackendName, { seconds: number; result: TrainResult }>();
  for (const backend of BACKENDS) {
    try {
      await initBackend(backend);
    } catch (error) {
      ctx.log(`${backend}: not available (${(error as Error).message})`);
      continue;
    }
    const result = await train({ ...base, hyperparameters: { epochs: timedEpochs, patience: 0 } });
    const seconds = quantile(result.history.map((h) => h.ms / 1000), 0.5);
    perEpoch.set(backend, { seconds, result });
    ctx.log(`${backend}: ${seconds.toFixed(3)} s/epoch (median of ${result.history.length}), ${result.rowCounts.train} training rows`);
  }
  const cpu = perEpoch.get('cpu');
  for (const [backend, { seconds, result }] of perEpoch) {
    results.push({
      name: `MLP classifier [32, 16], one epoch on UCI Adult, ${backend} backend`,
      figure: seconds,
      unit: 's/epoch',
      baseline: backend === 'cpu' || cpu === undefined ? undefined : { name: 'same epoch on the cpu backend', figure: cpu.seconds },
      notes: `${result.rowCounts.train} training rows × ${result.model.encoder.columns.length} columns, batch 256, validation (${result.rowCounts.validation} rows) included; median of ${result.history.length} epochs`,
    });
  }

  // (c) Quality: default hyperparameters (30 epochs, early stopping) on the fastest backend; quick mode reuses the timed runs.
  const fastest = [...perEpoch.entries()].sort((a, b) => a[1].seconds - b[1].seconds)[0];
  if (fastest === undefined) throw new Error('no TensorFlow.js backend loaded');
  await initBackend(fastest[0]);
  const mlp = ctx.quick ? fastest[1].result : await train(base);
  const logistic = await train({ ...base, kind: 'logistic_regression', hyperparameters: ctx.quick ? { epochs: 3 } : {} });
  const auc = (r: TrainResult): number => (r.metrics.task === 'classification' ? r.metrics.rocAuc : Number.NaN);
  results.push({
    name: 'MLP classifier test ROC AUC on UCI Adult (>50K positive)',
    figure: auc(mlp),
    unit: 'ROC AUC',
    baseline: { name: 'logistic regression, same split', figure: auc(logistic) },
    notes: `${fastest[0]} backend; MLP ${mlp.epochs} epochs (best ${mlp.bestEpoch}) in ${(mlp.trainingMs / 1000).toFixed(1)} s, logistic ${logistic.epochs} epochs; ${mlp.rowCounts.test} test rows`,
  });

  // (d) Multi-class: the same MLP predicting marital-status (7 classes, softmax), per epoch against
  // the binary MLP's epoch on the same backend; and its test accuracy against the class mix.
  const multi = await train({
    ...base,
    features: base.features.filter((f) => f.name !== 'marital-status'),
    target: { name: 'marital-status', kind: 'multiclass' },
    hyperparameters: { epochs: timedEpochs, patience: 0 },
  });
  const multiEpoch = quantile(multi.history.map((h) => h.ms / 1000), 0.5);
  results.push({
    name: 'multi-class MLP classifier (marital-status, softmax), one epoch on UCI Adult',
    figure: multiEpoch,
    unit: 's/epoch',
    baseline: { name: `binary MLP epoch, same backend (${fastest[0]})`, figure: fastest[1].seconds },
    notes: `${multi.model.encoder.target.kind === 'multiclass' ? multi.model.encoder.target.classes.length : '?'} classes; test accuracy ${multi.metrics.task === 'multiclass' ? multi.metrics.accuracy.toFixed(3) : 'n/a'} after ${multi.epochs} epochs`,
  });

  // (e) What the card's assessment costs (bootstrap intervals, membership inference, leakage,
  // importance) against the training it follows.
  const assessStarted = process.hrtime.bigint();
  const assessment = await assessModel({ model: mlp.model, rows: base.rows, split: splitIndices(base) }, { seed: SEED });
  const assessMs = Number(process.hrtime.bigint() - assessStarted) / 1e6;
  results.push({
    name: 'model assessment (bootstrap, membership inference, leakage, importance), MLP on UCI Adult',
    figure: assessMs / 1000,
    unit: 's',
    baseline: { name: 'training the same model', figure: mlp.trainingMs / 1000 },
    notes: `membership AUC ${assessment.membership.auc.toFixed(3)} (${assessment.membership.members} members), test ROC AUC interval ${fmt(assessment.test.intervals.rocAuc?.low)}–${fmt(assessment.test.intervals.rocAuc?.high)}, leaky features: ${assessment.leakage.flagged.join(', ') || 'none'}`,
  });

  // (b) Single-row prediction latency, in process.
  const n = ctx.quick ? 2000 : 20_000;
  const { [TARGET]: _label, ...row } = rows[0]!;
  const mlpLatency = predictionLatency(await loadModel(mlp.model), row, n);
  const logisticLatency = predictionLatency(await loadModel(logistic.model), row, n);
  const bare = bareLogisticLatency(logistic, n);
  results.push(
    {
      name: 'single-row prediction p99, MLP classifier (encode + forward, in process)',
      figure: mlpLatency.p99,
      unit: 'ms',
      baseline: { name: 'bare logistic forward pass on an encoded row, p99', figure: bare.p99 },
      notes: `p50 ${mlpLatency.p50.toFixed(4)} ms (bare ${bare.p50.toFixed(4)} ms); logistic model through the predictor p50 ${logisticLatency.p50.toFixed(4)} / p99 ${logisticLatency.p99.toFixed(4)} ms; ${n} calls after warm-up`,
    },
    {
      name: 'single-row prediction p50, MLP classifier (encode + forward, in process)',
      figure: mlpLatency.p50,
      unit: 'ms',
      baseline: { name: 'bare logistic forward pass on an encoded row, p50', figure: bare.p50 },
    },
  );
  return results;
}

/**
 * The floor for a prediction: a dot product and a sigmoid over an already encoded row, timed the
 * same way as the predictor (one call per sample, after a warm-up).
 */
function bareLogisticLatency(logistic: TrainResult, n: number): { p50: number; p99: number } {
  const [kernel, bias] = logistic.model.weights.map((w) => {
    const bytes = Buffer.from(w.base64, 'base64');
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  });
  const width = kernel!.length;
  const x = new Float32Array(width).map((_, i) => (i % 7 === 0 ? 1 : 0));
  let sink = 0;
  const predictOne = (): number => {
    let z = bias![0]!;
    for (let i = 0; i < width; i++) z += x[i]! * kernel![i]!;
    return 1 / (1 + Math.exp(-z));
  };
  for (let i = 0; i < 100; i++) sink += predictOne();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    sink += predictOne();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  if (Number.isNaN(sink)) throw new Error('bare logistic forward pass produced NaN');
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

function readAdult(file: string): Row[] {
  return readAdultRows(file);
}

function fmt(value: number | undefined): string {
  return value === undefined ? 'n/a' : value.toFixed(3);
}
