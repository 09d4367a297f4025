/**
 * The training service end to end on the demo admissions: a job requested over GraphQL until its
 * model is registered (queue, approval, zone read, training, card), against the same training
 * called in process on the same rows; and single-row predictions over HTTP (JWT, registry,
 * policy check, audit write) against the same prediction in process.
 */
import { loadModel, predictionLatency } from '@airlock/ml';
import { JobsRepository, RegistryRepository } from '@airlock/models';
import { quantile, timeMs, type BenchContext, type BenchResult } from './harness.ts';
import { benchGateway } from './gateway-support.ts';

const FEATURES = ['prior_admissions', 'birth_date', 'length_of_stay', 'diagnosis', 'ward', 'cost', 'sex'];

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const kind = ctx.pgAdminUrl ? 'postgres' : 'pglite';
  const rows = ctx.quick ? 3000 : 20_000;
  ctx.log(`${kind}: loading ${rows} rows, starting gateway and trainer`);
  const gw = await benchGateway(kind, rows, ctx.pgAdminUrl, { trainer: true });
  try {
    const token = await gw.token(['ml']);
    const jobs = new JobsRepository(gw.database);
    const registry = new RegistryRepository(gw.database);
    const mutation = `mutation { trainModel(input: { dataset: "admissions", zone: deidentified, target: "readmitted", features: ${JSON.stringify(FEATURES)}, kind: logistic_regression, imbalance: class_weights, seed: 1 }) { id } }`;
    let modelId = 0;
    const endToEnd = await timeMs(async () => {
      const res = (await (await gw.query(token, mutation)).json()) as { data: { trainModel: { id: string } } };
      for (;;) {
        const job = (await jobs.get(res.data.trainModel.id))!;
        if (job.state === 'succeeded') {
          modelId = job.modelId!;
          return;
        }
        if (job.state !== 'queued' && job.state !== 'running') throw new Error(`job ${job.state}: ${job.error}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    const model = (await registry.resolve(String(modelId)))!;
    const card = model.card as { trainingMs: number; backend: string };
    const artifact = await registry.artifact(model);
    const predictor = await loadModel(artifact);
    const row = { prior_admissions: 3, birth_date: 77, length_of_stay: 6, diagnosis: 'I50.9', ward: 'cardiology', cost: 18000, sex: 'F' };
    const inProcess = predictionLatency(predictor, row, 2000);
    const overHttp: number[] = [];
    const n = ctx.quick ? 100 : 500;
    for (let i = 0; i < n; i++) {
      const started = process.hrtime.bigint();
      const res = await fetch(`${gw.url}/models/${modelId}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ rows: [row] }),
      });
      await res.text();
      overHttp.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return [
      {
        name: `training job end to end (${kind}, ${rows.toLocaleString('en-US')} rows, logistic regression)`,
        figure: endToEnd / 1000,
        unit: 's',
        baseline: { name: 'the training call alone (in the trainer)', figure: card.trainingMs / 1000 },
        notes: `request over GraphQL → queue → approval → zone read → train (${card.backend}) → registry`,
      },
      {
        name: `single-row prediction over HTTP, p99 (${kind})`,
        figure: quantile(overHttp, 0.99),
        unit: 'ms',
        baseline: { name: 'same prediction in process, p99', figure: inProcess.p99 },
        notes: `p50 ${quantile(overHttp, 0.5).toFixed(2)} ms over HTTP (JWT, policy check, audit write); ${n} requests`,
      },
    ];
  } finally {
    await gw.close();
  }
}
