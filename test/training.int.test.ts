/**
 * The training service end to end: requests over GraphQL with real tokens, approval checked at
 * the request and again in the trainer, job lifecycle and failures, the registry and model cards,
 * predictions over REST, all audited. Models from the deidentified and the synthetic zone must
 * both beat the base rate on real data.
 */
import { randomUUID } from 'node:crypto';
import { createLogger } from '@airlock/core/logger';
import { rocAuc } from '@airlock/metrics';
import { currentBackend } from '@airlock/ml';
import { synthesizeDataset } from '@airlock/releases';
import { loadPolicySet } from '@airlock/catalog';
import { JobsRepository, RegistryRepository } from '@airlock/models';
import { runTrainingJob } from '@airlock/trainer';
import { TEST_ACTOR, testDatabaseKinds } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayHarness, type GatewayHarness } from './support/gateway-harness.ts';

const FEATURES = ['prior_admissions', 'birth_date', 'length_of_stay', 'diagnosis', 'ward', 'cost', 'sex'];
const TRAIN = `mutation($input: TrainModelInput!) { trainModel(input: $input) { id state } }`;
const JOB = `query($id: String!) { trainingJob(id: $id) { state error modelId progress { epoch epochs valMetric } } }`;

describe.each(testDatabaseKinds())('training service on %s', (kind) => {
  let gw: GatewayHarness;
  let ml: string;
  beforeAll(async () => {
    gw = await startGatewayHarness(kind, { demoRows: 3000, trainer: true });
    ml = await gw.token(['ml'], 'mia-ml');
    const { set, versions } = await loadPolicySet(gw.database);
    await synthesizeDataset({ database: gw.database, policy: set.datasets.get('admissions')!, policyVersion: versions.get('admissions')!.version, seed: 3, actor: TEST_ACTOR });
  }, 300_000);
  afterAll(() => gw?.close());

  const input = (overrides: Record<string, unknown> = {}) => ({ dataset: 'admissions', zone: 'deidentified', target: 'readmitted', features: FEATURES, kind: 'logistic_regression', imbalance: 'class_weights', seed: 7, ...overrides });

  async function waitForJob(id: string): Promise<{ state: string; error: string | null; modelId: number | null; progress: { epoch?: number } }> {
    for (let i = 0; i < 240; i++) {
      const job = (await new JobsRepository(gw.database).get(id))!;
      if (!['queued', 'running'].includes(job.state)) return job;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`job ${id} did not finish`);
  }

  async function auditCount(type: string, outcome: string): Promise<number> {
    const rows = await gw.database.withZone('audit', (trx) =>
      sql<{ n: number }>`select count(*)::int as n from audit.events where event_type = ${type} and outcome = ${outcome}`.execute(trx),
    );
    return rows.rows[0]!.n;
  }

  /**
   * ROC AUC of a model's predictions on real rows: the deidentified rows for a model trained on
   * the deidentified zone; for one trained on synthetic rows (raw-shaped: birth dates, not ages),
   * the real rows in that same shape, read here by the test as a steward would.
   */
  async function realAuc(modelId: number, shape: 'deidentified' | 'restricted' = 'deidentified'): Promise<number> {
    const rows = await gw.database.withZone(shape, (trx) =>
      sql<Record<string, unknown>>`select prior_admissions, birth_date, length_of_stay, diagnosis, ward, cost, sex, readmitted from ${sql.table(`${shape}.admissions`)} limit 1000`.execute(trx),
    );
    const res = await fetch(`${gw.url}/models/${modelId}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ml}` },
      body: JSON.stringify({ rows: rows.rows.map(({ readmitted: _, ...features }) => features) }),
    });
    expect(res.status).toBe(200);
    const { predictions } = (await res.json()) as { predictions: Array<{ probability: number }> };
    return rocAuc(rows.rows.map((r) => (r['readmitted'] ? 1 : 0)), predictions.map((p) => p.probability));
  }

  it('refuses a restricted-zone job at the request, with an audit event', async () => {
    const before = await auditCount('train.request', 'denied');
    const res = await gw.gql(ml, TRAIN, { input: input({ zone: 'restricted' }) });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await auditCount('train.request', 'denied')).toBe(before + 1);
    const analyst = await gw.gql(await gw.token(['analyst']), TRAIN, { input: input() });
    expect(analyst.errors?.[0]?.extensions?.code).toBe('FORBIDDEN'); // analysts may not train at all
  });

  it('refuses again in the trainer a job written straight into the queue', async () => {
    const id = randomUUID();
    await new JobsRepository(gw.database).insert({ id, dataset: 'admissions', zone: 'restricted', request: { ...input({ zone: 'restricted' }) } as never, requestedBy: 'mallory', roles: ['ml'] });
    const before = await auditCount('train.start', 'denied');
    await gw.trainer!.enqueue(id);
    const job = await waitForJob(id);
    expect(job.state).toBe('refused');
    expect(await auditCount('train.start', 'denied')).toBe(before + 1);
  });

  it('fails a job with a bad feature name, saying which', async () => {
    const res = await gw.gql(ml, TRAIN, { input: input({ features: ['agee'] }) });
    expect(res.errors?.[0]?.message).toMatch(/Unknown column\(s\) "agee" in the deidentified zone of admissions; known: /);
    const id = randomUUID();
    await new JobsRepository(gw.database).insert({ id, dataset: 'admissions', zone: 'deidentified', request: input({ features: ['agee'] }) as never, requestedBy: 'mia-ml', roles: ['ml'] });
    await gw.trainer!.enqueue(id);
    const job = await waitForJob(id);
    expect(job).toMatchObject({ state: 'failed', error: expect.stringMatching(/"agee"/) });
  });

  it('trains on the deidentified zone: progress, a model card, a promoted alias, predictions, and AUC ≥ 0.75 on real rows', async () => {
    const res = await gw.gql<{ trainModel: { id: string; state: string } }>(ml, TRAIN, { input: input() });
    expect(res.errors, res.raw).toBeUndefined();
    const job = await waitForJob(res.data!.trainModel.id);
    expect(job.state, job.error ?? '').toBe('succeeded');
    const viaGraphql = await gw.gql<{ trainingJob: { state: string; progress: { epoch: number; valMetric: number } } }>(ml, JOB, { id: res.data!.trainModel.id });
    expect(viaGraphql.data!.trainingJob.state).toBe('succeeded');
    expect(viaGraphql.data!.trainingJob.progress.epoch).toBeGreaterThan(0);
    const model = await gw.gql<{ model: { card: string; rocAuc: number; zone: string } }>(ml, `{ model(ref: "${job.modelId}") { card rocAuc zone } }`);
    const card = JSON.parse(model.data!.model.card) as Record<string, unknown>;
    expect(card).toMatchObject({ dataset: 'admissions', zone: 'deidentified', policyVersion: 1, trainedBy: 'mia-ml', kind: 'logistic_regression' });
    expect(card['policySha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(card['dataSnapshotSha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(card['backend']).toMatch(/^(wasm|cpu|tensorflow)$/);
    expect(card['trainingMs']).toBeGreaterThan(0);
    expect(card['predictionLatencyMs']).toMatchObject({ p50: expect.any(Number), p99: expect.any(Number) });
    expect(card['rowCounts']).toMatchObject({ train: expect.any(Number), validation: expect.any(Number), test: expect.any(Number) });
    expect(model.data!.model.rocAuc).toBeGreaterThan(0.7);
    expect(await realAuc(job.modelId!)).toBeGreaterThanOrEqual(0.75);
    // Parts 3–5: intervals, membership inference, leakage, subgroups (policy: sex) and importance in the card.
    const assessed = await gw.gql<{ model: { assessment: { membershipAuc: number; withinMembershipLimit: boolean; membershipRows: number; leakyFeatures: string[]; json: string } } }>(
      ml,
      `{ model(ref: "${job.modelId}") { assessment { membershipAuc withinMembershipLimit membershipRows leakyFeatures json } } }`,
    );
    const assessment = assessed.data!.model.assessment;
    expect(assessment).toMatchObject({ withinMembershipLimit: true, leakyFeatures: [] });
    expect(assessment.membershipAuc).toBeLessThan(0.6);
    expect(assessment.membershipRows).toBeGreaterThan(300);
    const full = JSON.parse(assessment.json) as { test: { intervals: { rocAuc: { low: number; high: number; estimate: number } } }; subgroups: Array<{ attribute: string; groups: Array<{ value: string }> }>; importance: unknown[] };
    expect(full.test.intervals.rocAuc.low).toBeLessThanOrEqual(full.test.intervals.rocAuc.estimate);
    expect(full.subgroups[0]!.attribute).toBe('sex');
    expect(full.subgroups[0]!.groups.map((g) => g.value)).toEqual(['F', 'M']);
    expect(full.importance).toHaveLength(FEATURES.length);

    const promoted = await gw.gql<{ promoteModel: { aliases: string[] } }>(ml, `mutation { promoteModel(id: ${job.modelId}, alias: "production") { aliases } }`);
    expect(promoted.data!.promoteModel.aliases).toEqual(['production']);
    // Issue 12, finding 10: an outsider cannot tell an existing model it may not promote from a
    // missing one (the two answers are identical).
    const outsiderToken = await gw.token(['public']);
    const existing = await gw.gql(outsiderToken, `mutation { promoteModel(id: ${job.modelId}, alias: "takeover") { id } }`);
    const nonexistent = await gw.gql(outsiderToken, `mutation { promoteModel(id: 987654321, alias: "takeover") { id } }`);
    expect(existing.errors?.[0]?.extensions?.code, existing.raw).toBe('FORBIDDEN');
    expect(nonexistent.raw).toBe(existing.raw);
    const huge = await gw.gql(ml, '{ model(ref: "99999999999999999999") { id } }');
    expect(huge.errors?.[0]?.extensions?.code, huge.raw).toBe('BAD_USER_INPUT');
    expect(huge.errors?.[0]?.message).toMatch(/99999999999999999999.*out of range/);
    const byAlias = await fetch(`${gw.url}/models/admissions-readmitted-logistic_regression@production/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ml}` },
      body: JSON.stringify({ rows: [{ prior_admissions: 5, birth_date: 84, length_of_stay: 12, diagnosis: 'I50.9', ward: 'cardiology', cost: 30000, sex: 'M' }] }),
    });
    expect(byAlias.status).toBe(200);
    const missing = await fetch(`${gw.url}/models/${job.modelId}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ml}` },
      body: JSON.stringify({ rows: [{ prior_admissions: 5, nonsense: 1 }] }),
    });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/missing features/);
    const outsider = await fetch(`${gw.url}/models/${job.modelId}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await gw.token(['public'])}` },
      body: JSON.stringify({ rows: [{ prior_admissions: 5 }] }),
    });
    expect(outsider.status).toBe(403);
    const noToken = await fetch(`${gw.url}/models/${job.modelId}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noToken.status).toBe(401);
    expect(await auditCount('model.predict', 'allowed')).toBeGreaterThanOrEqual(2);
    const details = await gw.database.withZone('audit', (trx) => sql<{ details: Record<string, unknown> }>`select details from audit.events where event_type = 'model.predict' limit 1`.execute(trx));
    expect(Object.keys(details.rows[0]!.details).sort()).toEqual(['modelId', 'rows']); // counts, never row contents
  }, 240_000);

  it('trains a multiclass target (ward) and a derived one (ward in [icu, surgery]) end to end; a bad derivation is a 400 naming the fix', async () => {
    const withoutWard = FEATURES.filter((f) => f !== 'ward');
    const [multi, derived] = await Promise.all([
      gw.gql<{ trainModel: { id: string } }>(ml, TRAIN, { input: input({ target: 'ward', features: withoutWard, imbalance: 'none', epochs: 5, name: 'ward-multiclass' }) }),
      // The features still name ward: the trainer leaves the derived target's source out.
      gw.gql<{ trainModel: { id: string } }>(ml, TRAIN, { input: input({ target: { derive: { column: 'ward', in: ['icu', 'surgery'] } }, epochs: 5 }) }),
    ]);
    expect(multi.errors, multi.raw).toBeUndefined();
    expect(derived.errors, derived.raw).toBeUndefined();
    const [multiJob, derivedJob] = [await waitForJob(multi.data!.trainModel.id), await waitForJob(derived.data!.trainModel.id)];
    expect(multiJob.state, multiJob.error ?? '').toBe('succeeded');
    expect(derivedJob.state, derivedJob.error ?? '').toBe('succeeded');

    type ModelView = {
      name: string; target: string; features: string[]; task: string; accuracy: number; rocAuc: number | null; macroF1: number | null; weightedF1: number | null; logLoss: number | null; rocAucMacro: number | null;
      classes: string[] | null; perClass: Array<{ label: string; support: number }> | null; confusionMatrix: { labels: string[]; counts: number[][] } | null; card: string;
    };
    const MODEL = `query($ref: String!) { model(ref: $ref) { name target features task accuracy rocAuc macroF1 weightedF1 logLoss rocAucMacro classes perClass { label precision recall f1 support } confusionMatrix { labels counts } card } }`;
    const view = async (id: number) => {
      const res = await gw.gql<{ model: ModelView }>(ml, MODEL, { ref: String(id) });
      expect(res.errors, res.raw).toBeUndefined();
      return res.data!.model;
    };

    const m = await view(multiJob.modelId!);
    expect(m.task).toBe('multiclass');
    expect(m.classes).toEqual(expect.arrayContaining(['cardiology', 'general_medicine', 'icu', 'surgery']));
    const k = m.classes!.length;
    expect(m.confusionMatrix!.labels).toEqual(m.classes);
    expect(m.confusionMatrix!.counts).toHaveLength(k);
    const testRows = (JSON.parse(m.card) as { rowCounts: { test: number } }).rowCounts.test;
    expect(m.confusionMatrix!.counts.flat().reduce((a, b) => a + b, 0)).toBe(testRows);
    expect(m.perClass!.map((c) => c.label)).toEqual(m.classes);
    expect(m.perClass!.reduce((a, c) => a + c.support, 0)).toBe(testRows);
    // Better than always guessing the commonest ward (the baseline in the card), and the classes are
    // ranked well (macro one-vs-rest AUC); exact figures vary with the database's row order.
    const baseline = (JSON.parse(m.card) as { metrics: { baselineAccuracy: number } }).metrics.baselineAccuracy;
    expect(m.accuracy).toBeGreaterThan(baseline);
    expect(m.macroF1).toBeGreaterThan(0.15);
    expect(m.weightedF1).toBeGreaterThan(0.3);
    expect(m.logLoss).toBeGreaterThan(0);
    expect(m.rocAucMacro).toBeGreaterThan(0.8);
    expect(m.rocAuc).toBeNull(); // the binary field stays binary

    const rows = await gw.database.withZone('deidentified', (trx) =>
      sql<Record<string, unknown>>`select prior_admissions, birth_date, length_of_stay, diagnosis, cost, sex from deidentified.admissions limit 20`.execute(trx),
    );
    const predict = (ref: string | number, body: unknown) =>
      fetch(`${gw.url}/models/${ref}/predict`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ml}` }, body: JSON.stringify(body) });
    const answer = await predict(multiJob.modelId!, { rows: rows.rows });
    expect(answer.status).toBe(200);
    const { predictions } = (await answer.json()) as { predictions: Array<{ label: string; probabilities: Record<string, number> }> };
    expect(predictions).toHaveLength(20);
    for (const p of predictions) {
      expect(m.classes).toContain(p.label);
      expect(Object.keys(p.probabilities)).toEqual(m.classes);
      expect(Object.values(p.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }

    const d = await view(derivedJob.modelId!);
    expect(d).toMatchObject({ name: 'admissions-ward-in-icu-surgery-logistic_regression', target: 'ward in [icu, surgery]', task: 'classification', classes: null, confusionMatrix: null });
    expect(d.features).toEqual(withoutWard);
    expect(d.rocAuc).toBeGreaterThan(0.7);
    const card = JSON.parse(d.card) as Record<string, unknown>;
    expect(card['derivedTarget']).toEqual({ column: 'ward', in: ['icu', 'surgery'], name: 'ward in [icu, surgery]', droppedNullRows: 0 });
    expect(card['excludedFeatures']).toEqual(['ward']);
    expect(card['target']).toEqual({ name: 'ward in [icu, surgery]', kind: 'binary', positive: true });
    // Predictions need neither the target nor its source; the source is no input at all.
    const binary = await predict(derivedJob.modelId!, { rows: rows.rows });
    expect(binary.status).toBe(200);
    expect(((await binary.json()) as { predictions: Array<{ probability: number }> }).predictions[0]!.probability).toBeGreaterThanOrEqual(0);
    const withSource = await predict(derivedJob.modelId!, { rows: [{ ...rows.rows[0], ward: 'icu' }] });
    expect(withSource.status).toBe(400);
    expect(((await withSource.json()) as { errors: Array<{ message: string }> }).errors[0]!.message).toMatch(/unknown feature "ward"/);

    const refused = async (target: unknown, message: RegExp) => {
      const res = await gw.gql(ml, TRAIN, { input: input({ target }) });
      expect(res.status, res.raw).toBeLessThan(500);
      expect(res.errors?.[0]?.extensions?.code, res.raw).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toMatch(message);
    };
    await refused({ derive: { column: 'ward', op: '>', value: 3 } }, /target.derive.op ">" needs a numeric column; "ward" is string in the deidentified zone of admissions: use = or != \(or "in"\)/);
    await refused({ derive: { column: 'name', in: ['x'] } }, /target.derive.column "name" is not a column you can read in the deidentified zone of admissions; readable: /);
    await refused({ derive: { column: 'cost', op: '>', value: 'high' } }, /target.derive.value must be a number: "cost" is number/);
    await refused({ derive: { column: 'length_of_stay', buckets: [7, 3] } }, /target.derive.buckets must ascend strictly; 3 follows 7/);
    await refused({ derive: { colum: 'cost' } }, /target.derive has unknown field\(s\) "colum"/);
    await refused(5, /target/);
  }, 120_000);

  it('compares two models of one derived target on the same test rows (the trainer derives it again)', async () => {
    const target = { derive: { column: 'cost', op: '>', value: 8000 } };
    const [a, b] = await Promise.all([
      gw.gql<{ trainModel: { id: string } }>(ml, TRAIN, { input: input({ target, name: 'cost-a', seed: 5, epochs: 3 }) }),
      gw.gql<{ trainModel: { id: string } }>(ml, TRAIN, { input: input({ target, name: 'cost-b', seed: 5, epochs: 3, kind: 'mlp_classifier', hiddenUnits: [8] }) }),
    ]);
    expect(a.errors, a.raw).toBeUndefined();
    const [jobA, jobB] = [await waitForJob(a.data!.trainModel.id), await waitForJob(b.data!.trainModel.id)];
    expect([jobA.state, jobB.state], `${jobA.error} ${jobB.error}`).toEqual(['succeeded', 'succeeded']);
    const cmp = await gw.gql<{ compareModels: { testRows: number; aucA: number } }>(ml, `{ compareModels(a: "${jobA.modelId}", b: "${jobB.modelId}") { testRows aucA } }`);
    expect(cmp.errors, cmp.raw).toBeUndefined();
    expect(cmp.data!.compareModels.testRows).toBeGreaterThan(300);
    expect(cmp.data!.compareModels.aucA).toBeGreaterThan(0.7);
  }, 120_000);

  it('an alias cannot be captured: moving it takes rights over its holder and stays in its zone; moves are audited (issue 12, finding 7)', async () => {
    const registry = new RegistryRepository(gw.database);
    const card = { assessment: { membership: { auc: 0.51 } } };
    const fake = (dataset: string, zone: 'deidentified' | 'synthetic', target: string) =>
      registry.register({ name: `${dataset}-${target}-logistic_regression`, dataset, zone, kind: 'logistic_regression', target, features: ['age'], metrics: {}, card, createdBy: 'test', artifact: {} as never });
    // Adult: analysts and ml may train on deidentified, public only on synthetic.
    const held = await fake('adult', 'deidentified', 'salary-class');
    const analyst = await gw.token(['analyst'], 'ana-analyst');
    const first = await gw.gql<{ promoteModel: { id: number } }>(analyst, `mutation { promoteModel(id: ${held.id}, alias: "production") { id } }`);
    expect(first.errors, first.raw).toBeUndefined();
    const own = await fake('adult', 'synthetic', 'salary-class');
    const outsider = await gw.token(['public'], 'pat-public');
    const capture = await gw.gql(outsider, `mutation { promoteModel(id: ${own.id}, alias: "production") { id } }`);
    expect(capture.errors?.[0]?.extensions?.code, capture.raw).toBe('FORBIDDEN');
    expect((await registry.resolve('adult-salary-class-logistic_regression@production'))?.id).toBe(held.id);

    // Across zones, even with rights over both: the deidentified production alias of admissions
    // does not move to a synthetic model.
    const synthetic = await fake('admissions', 'synthetic', 'readmitted');
    const before = (await registry.resolve('admissions-readmitted-logistic_regression@production'))!.id;
    const crossZone = await gw.gql(ml, `mutation { promoteModel(id: ${synthetic.id}, alias: "production") { id } }`);
    expect(crossZone.errors?.[0]?.extensions?.code, crossZone.raw).toBe('CONFLICT');
    expect(crossZone.errors?.[0]?.message).toMatch(/stays in its zone/);
    expect((await registry.resolve('admissions-readmitted-logistic_regression@production'))!.id).toBe(before);

    const events = await gw.database.withZone('audit', (trx) =>
      sql<{ outcome: string; details: Record<string, unknown> }>`select outcome, details from audit.events where event_type = 'model.promote' order by seq`.execute(trx),
    );
    expect(events.rows.filter((e) => e.outcome === 'denied').map((e) => e.details['reason'])).toEqual([
      'no rights over the model that holds the alias',
      'held by a model of admissions/deidentified',
    ]);
    expect(events.rows.at(-3)).toMatchObject({ outcome: 'allowed', details: { modelId: held.id, previousModelId: null } });
  }, 120_000);

  it('a model over the membership-inference limit is not promoted (409 with the figure, the limit and the fix), nor served outside its zone', async () => {
    // The figures are planted in the cards (a trained model's real artifact, so predictions work):
    // what is under test here is the enforcement; the attack itself is tested in @airlock/ml.
    const registry = new RegistryRepository(gw.database);
    const source = await registry.resolve(String((await registry.list({ dataset: 'admissions' })).find((m) => m.zone === 'deidentified' && m.card['assessment'])!.id));
    const artifact = await registry.artifact(source!);
    const register = (auc: number | undefined) =>
      registry.register({
        name: 'admissions-overfit',
        dataset: 'admissions',
        zone: 'deidentified',
        kind: source!.kind,
        target: source!.target,
        features: source!.features,
        metrics: source!.metrics,
        card: auc === undefined ? {} : { assessment: { membership: { auc, limit: 0.6, withinLimit: auc <= 0.6 } } },
        createdBy: 'test',
        artifact,
      });
    const over = await register(0.78);
    const refused = await gw.gql(ml, `mutation { promoteModel(id: ${over.id}, alias: "production") { id } }`);
    expect(refused.errors?.[0]?.extensions?.code, refused.raw).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toMatch(/AUC 0\.780, above the policy's limit of 0\.6 \(training\.max_membership_auc\)\. Retrain with more rows, more regularization/);
    const unmeasured = await register(undefined);
    const refusedToo = await gw.gql(ml, `mutation { promoteModel(id: ${unmeasured.id}, alias: "production") { id } }`);
    expect(refusedToo.errors?.[0]?.message).toMatch(/no membership-inference figure/);
    expect(await registry.resolve('admissions-overfit@production')).toBeUndefined();
    const within = await register(0.55);
    const promoted = await gw.gql<{ promoteModel: { aliases: string[] } }>(ml, `mutation { promoteModel(id: ${within.id}, alias: "production") { aliases } }`);
    expect(promoted.errors, promoted.raw).toBeUndefined();

    // Serving: roles that read the deidentified zone (inside) get predictions; a role that reads
    // only the synthetic zone of the same dataset (outside) is refused.
    const row = { prior_admissions: 5, birth_date: 84, length_of_stay: 12, diagnosis: 'I50.9', ward: 'cardiology', cost: 30000, sex: 'M' };
    const predict = async (token: string) =>
      fetch(`${gw.url}/models/${over.id}/predict`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ rows: [row] }) });
    expect((await predict(ml)).status).toBe(200);
    expect((await predict(await gw.token(['public']))).status).toBe(403);
    const denied = await gw.database.withZone('audit', (trx) =>
      sql<{ details: Record<string, unknown> }>`select details from audit.events where event_type = 'model.promote' and outcome = 'denied' order by seq desc limit 2`.execute(trx),
    );
    expect(denied.rows.map((e) => e.details['reason'])).toEqual(['no membership figure', 'membership AUC 0.78 above 0.6']);
  }, 30_000);

  it('bounds training jobs and cancels them (issue 12, finding 8)', async () => {
    const huge = await gw.gql(ml, TRAIN, { input: input({ epochs: 2_000_000_000 }) });
    expect(huge.errors?.[0]?.extensions?.code, huge.raw).toBe('BAD_USER_INPUT');
    expect(huge.errors?.[0]?.message).toMatch(/epochs must be an integer from 1 to 1000, got 2000000000/);

    const long = await gw.gql<{ trainModel: { id: string } }>(ml, TRAIN, { input: input({ epochs: 1000, patience: 0 }) });
    expect(long.errors, long.raw).toBeUndefined();
    const id = long.data!.trainModel.id;
    for (let i = 0; i < 240 && (await new JobsRepository(gw.database).get(id))!.state === 'queued'; i++) await new Promise((r) => setTimeout(r, 250));
    const outsider = await gw.gql(await gw.token(['public'], 'pat-public'), `mutation { cancelTrainingJob(id: "${id}") { state } }`);
    expect(outsider.errors?.[0]?.extensions?.code, outsider.raw).toBe('FORBIDDEN');
    const cancel = await gw.gql(ml, `mutation { cancelTrainingJob(id: "${id}") { id } }`);
    expect(cancel.errors, cancel.raw).toBeUndefined();
    const job = await waitForJob(id);
    expect(job).toMatchObject({ state: 'failed', modelId: null });
    expect(job.error).toMatch(/^Cancelled by mia-ml/);
    expect(job.progress.epoch ?? 0).toBeLessThan(1000);
    expect(await auditCount('train.cancel', 'allowed')).toBeGreaterThanOrEqual(1);
  }, 240_000);

  it('trains off the gateway\'s event loop: a request is answered while a job runs, and TensorFlow.js never loads in the gateway\'s thread (issue 12, finding 8)', async () => {
    const long = await gw.gql<{ trainModel: { id: string } }>(ml, TRAIN, { input: input({ epochs: 1000, patience: 0, name: 'long-running' }) });
    expect(long.errors, long.raw).toBeUndefined();
    const id = long.data!.trainModel.id;
    const jobs = new JobsRepository(gw.database);
    for (let i = 0; i < 240 && (await jobs.get(id))!.state === 'queued'; i++) await new Promise((r) => setTimeout(r, 250));
    expect((await jobs.get(id))!.state).toBe('running');
    // The gateway answers while the job trains: the answer comes back and the job is still running.
    const answer = await gw.gql<{ models: Array<{ id: number }> }>(ml, '{ models { id } }');
    expect(answer.errors, answer.raw).toBeUndefined();
    expect((await jobs.get(id))!.state).toBe('running');
    // Training happens in a worker thread: this thread (the gateway's and the trainer's) never
    // started a TensorFlow.js engine.
    expect(currentBackend()).toBeUndefined();
    await gw.gql(ml, `mutation { cancelTrainingJob(id: "${id}") { id } }`);
    expect((await waitForJob(id)).error).toMatch(/^Cancelled by mia-ml/);
  }, 240_000);

  it('fails a job that needs more memory than its bound, saying so (issue 12, finding 8)', async () => {
    const jobs = new JobsRepository(gw.database);
    const id = randomUUID();
    await jobs.insert({ id, dataset: 'admissions', zone: 'deidentified', request: input() as never, requestedBy: 'mia-ml', roles: ['ml'] });
    // Run by a trainer whose workers get 24 MB of heap: too little for this job (TensorFlow.js
    // alone needs more). The job fails; the process carries on.
    const context = { database: gw.database, jobs, registry: new RegistryRepository(gw.database), policies: () => loadPolicySet(gw.database), logger: createLogger('trainer-test', 'silent'), maxMemoryMb: 24 };
    await runTrainingJob(context, id);
    const job = (await jobs.get(id))!;
    expect(job).toMatchObject({ state: 'failed', modelId: null });
    expect(job.error).toMatch(/ran out of its memory limit of 24 MB \(AIRLOCK_TRAINER_MAX_MEMORY_MB\)/);
    expect(await auditCount('train.end', 'error')).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('reports drift per feature and compares two models on the same test set', async () => {
    const [a, b] = await Promise.all([
      gw.gql<{ trainModel: { id: string } }>(ml, TRAIN, { input: input({ name: 'cmp-logistic', seed: 11 }) }),
      gw.gql<{ trainModel: { id: string } }>(ml, TRAIN, { input: input({ name: 'cmp-mlp', kind: 'mlp_classifier', seed: 11, epochs: 10 }) }),
    ]);
    const [jobA, jobB] = [await waitForJob(a.data!.trainModel.id), await waitForJob(b.data!.trainModel.id)];
    expect([jobA.state, jobB.state]).toEqual(['succeeded', 'succeeded']);
    const drift = await gw.gql<{ modelDrift: Array<{ feature: string; psi: number; level: string }> }>(ml, `{ modelDrift(ref: "${jobA.modelId}") { feature psi level } }`);
    expect(drift.errors, drift.raw).toBeUndefined();
    expect(drift.data!.modelDrift.map((d) => d.feature).sort()).toEqual([...FEATURES].sort());
    // The zone the model was trained on, unchanged: no feature has drifted.
    expect(drift.data!.modelDrift.every((d) => d.level === 'stable')).toBe(true);
    const cmp = await gw.gql<{ compareModels: { testRows: number; testedOn: string; aucA: number; aucB: number; mcnemarP: number; bootstrapP: number } }>(
      ml,
      `{ compareModels(a: "${jobA.modelId}", b: "${jobB.modelId}") { testRows testedOn aucA aucB mcnemarP bootstrapP } }`,
    );
    expect(cmp.errors, cmp.raw).toBeUndefined();
    const c = cmp.data!.compareModels;
    expect(c.testRows).toBeGreaterThan(400); // a fifth of 3,000 real rows
    for (const p of [c.mcnemarP, c.bootstrapP]) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    // Both were scored on the evaluation hold-out (training.evaluation_zone): compared there.
    expect(c.testedOn).toBe('the evaluation hold-out');
  }, 240_000);

  it('trains on the synthetic zone, is tested on real rows (the evaluation hold-out, AUC ≥ 0.7) and compared with a deidentified-trained model there', async () => {
    const res = await gw.gql<{ trainModel: { id: string } }>(ml, TRAIN, { input: input({ zone: 'synthetic', name: 'readmission-synthetic' }) });
    expect(res.errors, res.raw).toBeUndefined();
    const job = await waitForJob(res.data!.trainModel.id);
    expect(job.state, job.error ?? '').toBe('succeeded');
    expect(await realAuc(job.modelId!)).toBeGreaterThanOrEqual(0.75);
    // Issue 13, part 2: trained on synthetic rows, tested on real ones. The card says both, and the
    // model can be compared with one trained on the deidentified zone, on the same real rows.
    type Evaluated = { model: { zone: string; rocAuc: number; evaluation: { zone: string; rows: number; rocAuc: number; rocAucCi95: number[] } } };
    const synthetic = (await gw.gql<Evaluated>(ml, `{ model(ref: "${job.modelId}") { zone rocAuc evaluation { zone rows rocAuc rocAucCi95 } } }`)).data!.model;
    expect(synthetic).toMatchObject({ zone: 'synthetic', evaluation: { zone: 'deidentified' } });
    expect(synthetic.evaluation.rows).toBeGreaterThan(400);
    expect(synthetic.evaluation.rocAuc).toBeGreaterThanOrEqual(0.7);
    console.log(`[evaluation] trained on synthetic rows: test-split ROC AUC ${synthetic.rocAuc.toFixed(3)} (synthetic), on ${synthetic.evaluation.rows} held-out real rows ${synthetic.evaluation.rocAuc.toFixed(3)} [${synthetic.evaluation.rocAucCi95.map((x) => x.toFixed(3)).join(', ')}]`);
    expect(synthetic.evaluation.rocAucCi95[0]).toBeLessThanOrEqual(synthetic.evaluation.rocAuc);
    const deidentified = (await new RegistryRepository(gw.database).list({ dataset: 'admissions' })).find((m) => m.zone === 'deidentified' && m.kind === 'logistic_regression' && m.target === 'readmitted' && m.card['evaluation'] !== undefined)!;
    const versus = await gw.gql<{ compareModels: { testRows: number; testedOn: string; aucA: number } }>(ml, `{ compareModels(a: "${job.modelId}", b: "${deidentified.id}") { testRows testedOn aucA } }`);
    expect(versus.errors, versus.raw).toBeUndefined();
    expect(versus.data!.compareModels).toMatchObject({ testedOn: 'the evaluation hold-out', testRows: synthetic.evaluation.rows });
    expect(versus.data!.compareModels.aucA).toBeCloseTo(synthetic.evaluation.rocAuc, 6);
    const events = await gw.database.withZone('audit', (trx) =>
      sql<{ zone: string }>`select zone from audit.events where event_type = 'train.end' and outcome = 'allowed'`.execute(trx),
    );
    expect(events.rows.map((e) => e.zone)).toContain('synthetic');
  }, 240_000);
  it('takes outcomes for served predictions: live metrics beside the test metrics, drift of recent inputs; audited (issue 13, part 6)', async () => {
    const models = await new RegistryRepository(gw.database).list({ dataset: 'admissions' });
    const model = models.find((m) => m.zone === 'deidentified' && m.kind === 'logistic_regression' && m.target === 'readmitted' && m.card['evaluation'] !== undefined)!;
    const rows = await gw.database.withZone('deidentified', (trx) =>
      sql<Record<string, unknown>>`select prior_admissions, birth_date, length_of_stay, diagnosis, ward, cost, sex, readmitted from deidentified.admissions order by _row_id limit 200`.execute(trx),
    );
    const post = (path: string, body: unknown, token = ml) =>
      fetch(`${gw.url}/models/${model.id}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const served = (await (await post('predict', { rows: rows.rows.map(({ readmitted: _, ...features }) => features) })).json()) as {
      predictions: Array<{ predictionId: string; probability: number; label: boolean }>;
    };
    expect(served.predictions.every((p) => /^[0-9a-f-]{36}$/.test(p.predictionId))).toBe(true);
    const truth = rows.rows.map((r) => r['readmitted'] as boolean);
    const outcomes = served.predictions.slice(0, 150).map((p, i) => ({ predictionId: p.predictionId, outcome: truth[i] }));
    const bogus = randomUUID();
    const posted = await post('outcomes', { outcomes: [...outcomes, { predictionId: bogus, outcome: true }] });
    expect(await posted.json()).toMatchObject({ recorded: 150, unknown: [bogus] });
    expect((await post('outcomes', { outcomes: [{ predictionId: 'not-an-id', outcome: true }] })).status).toBe(400);
    // Whoever may not use the model gets the same answer as for a missing one.
    const outsider = await gw.token(['public']);
    expect((await post('outcomes', { outcomes }, outsider)).status).toBe(403);

    const monitoring = await gw.gql<{ modelMonitoring: { predictions: number; withOutcome: number; accuracy: number; rocAuc: number; testMetrics: string; drift: Array<{ feature: string; psi: number }> } }>(
      ml,
      `{ modelMonitoring(ref: "${model.id}", recent: 200) { predictions withOutcome accuracy rocAuc testMetrics drift { feature psi } } }`,
    );
    expect(monitoring.errors, monitoring.raw).toBeUndefined();
    const live = monitoring.data!.modelMonitoring;
    expect(live).toMatchObject({ predictions: 200, withOutcome: 150 });
    // The newest 200 are this test's (earlier tests predicted with the model too, without outcomes).
    // By hand, from what predict answered and the outcomes posted.
    const scored = served.predictions.slice(0, 150);
    expect(live.accuracy).toBeCloseTo(scored.filter((p, i) => p.label === truth[i]).length / 150, 10);
    expect(live.rocAuc).toBeCloseTo(rocAuc(truth.slice(0, 150).map((t) => (t ? 1 : 0)), scored.map((p) => p.probability)), 10);
    expect(JSON.parse(live.testMetrics)).toHaveProperty('rocAuc');
    expect(live.drift.map((d) => d.feature).sort()).toEqual([...FEATURES].sort());
    const denied = await gw.gql(outsider, `{ modelMonitoring(ref: "${model.id}") { predictions } }`);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await auditCount('model.feedback', 'allowed')).toBe(1);
    expect(await auditCount('model.feedback', 'denied')).toBe(1);
  }, 120_000);
});
