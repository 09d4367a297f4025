import { createAuditLog } from '@airlock/audit';
import { AirlockError, type Logger, type PolicyVersions, type RecordZone } from '@airlock/core';
import type { AirlockDatabase } from '@airlock/db';
import type { BackendName, Row } from '@airlock/ml';
import { deriveTargetRows, EVALUATION_SHARE, resolveSpecs, type JobsRepository, type RegistryRepository } from '@airlock/models';
import { allowedColumns, trainingApproved, trainingLimits, type PolicySet } from '@airlock/policy';
import { loadTrainingRows } from './training-data.ts';
import { runInWorker } from './worker/run-in-worker.ts';

export interface JobContext {
  database: AirlockDatabase;
  jobs: JobsRepository;
  registry: RegistryRepository;
  /** The applied policies now (re-read per job: approval is checked against the current policy). */
  policies: () => Promise<{ set: PolicySet; versions: PolicyVersions }>;
  logger: Logger;
  /** Longest a job may train (`AIRLOCK_TRAINER_MAX_JOB_MS`, default 30 min); its worker is stopped past it. */
  maxJobMs?: number | undefined;
  /** Heap limit of a job's worker thread, in MB (`AIRLOCK_TRAINER_MAX_MEMORY_MB`, default 2048). */
  maxMemoryMb?: number | undefined;
  /** `AIRLOCK_TF_BACKEND`: the TensorFlow.js backend to train on; unset = the fastest that loads. */
  backend?: BackendName | undefined;
}

/** Default {@link JobContext.maxMemoryMb}: 2 GB of heap per training worker. */
export const DEFAULT_MAX_MEMORY_MB = 2048;

/** Default {@link JobContext.maxJobMs}: 30 minutes, under the queue's one-hour expiry. */
export const DEFAULT_MAX_JOB_MS = 30 * 60_000;
/** How often a running job looks for a cancellation request. */
const CANCEL_POLL_MS = 1000;

/**
 * Run one training job. The approval is checked again here, against the policy in force now and
 * the requester's roles, before anything is read: a job row written straight into the queue, or a
 * policy changed since the request, is refused. Data is read only through the zone's database role.
 * Start and end are audited with the dataset, zone, policy version and hash, and data snapshot hash.
 * The rows are read here; the training itself runs in a worker thread (never on this event loop),
 * bounded in time and memory, and cancellable.
 */
export async function runTrainingJob(ctx: JobContext, jobId: string): Promise<void> {
  const audit = createAuditLog(ctx.database);
  const job = await ctx.jobs.get(jobId);
  if (!job) throw new AirlockError('NOT_FOUND', `Training job ${jobId} does not exist.`);
  if (job.state !== 'queued') return; // delivered twice: already handled
  const request = job.request;
  const { set, versions } = await ctx.policies();
  const policy = versions.get(request.dataset);
  const base = { actor: job.requestedBy, roles: job.roles, action: 'train', dataset: request.dataset, zone: request.zone };
  const approval = trainingApproved(set, job.roles, request.dataset, request.zone);
  if (approval.kind === 'deny' || request.dataset !== job.dataset || request.zone !== job.zone) {
    await audit.append({ ...base, type: 'train.start', outcome: 'denied', details: { jobId, reason: approval.kind === 'deny' ? approval.reason : 'job row and request disagree' } });
    await ctx.jobs.finish(jobId, { state: 'refused', error: 'Training on this zone is not approved for the requester.' });
    return;
  }
  const columns = allowedColumns(set, job.roles, request.dataset, request.zone);
  await ctx.jobs.start(jobId);
  try {
    if (columns.kind === 'deny') throw new AirlockError('FORBIDDEN', 'Not allowed.');
    const specs = resolveSpecs(request, columns.columns);
    // The policy's fairness attributes are read too (those this zone shows), for the card's subgroup metrics only.
    const limits = trainingLimits(set.datasets.get(request.dataset)!.training);
    const attributes = limits.fairnessAttributes.filter((name) => columns.columns.some((c) => c.name === name));
    // With an evaluation zone, a fixed share of its rows is held out: never trained on (here,
    // when training on that zone), scored after training for every model of the dataset.
    const evaluationZone = limits.evaluationZone;
    const loaded = await loadTrainingRows(ctx.database, request.zone, request.dataset, [...new Set([...specs.columns, ...attributes])], evaluationZone === request.zone ? 'train' : 'all');
    const snapshotSha256 = loaded.snapshotSha256;
    // A derived target is evaluated here, on the rows read through the zone's role.
    const derived = specs.derived ? deriveTargetRows(loaded.rows, specs.derived) : undefined;
    const rows = derived?.rows ?? loaded.rows;
    const featureNames = specs.features.map((f) => f.name);
    const heldOut = evaluationZone ? await readEvaluationRows(ctx, evaluationZone, request.dataset, specs.columns) : undefined;
    const evaluationRows = heldOut && specs.derived ? deriveTargetRows(heldOut, specs.derived).rows : heldOut;
    await audit.append({
      ...base,
      type: 'train.start',
      outcome: 'allowed',
      details: { jobId, policyVersion: policy?.version, policySha256: policy?.sha256, dataSnapshotSha256: snapshotSha256, rows: rows.length },
    });
    const epochs = request.hyperparameters?.epochs ?? 30;
    let lastWrite = 0;
    // Bounded and cancellable: the time limit and a cancellation request both terminate the
    // training worker, and the job ends failed with the reason; so does running out of memory.
    const stop = new AbortController();
    const maxJobMs = ctx.maxJobMs ?? DEFAULT_MAX_JOB_MS;
    const timeLimit = setTimeout(
      () => stop.abort(new AirlockError('BAD_REQUEST', `The job ran past its time limit of ${Math.round(maxJobMs / 1000)} s (AIRLOCK_TRAINER_MAX_JOB_MS) and was stopped; ask for fewer epochs or rows.`)),
      maxJobMs,
    );
    const cancelPoll = setInterval(() => {
      void ctx.jobs.get(jobId).then((current) => {
        const by = current?.progress.cancelledBy;
        if (by !== undefined) stop.abort(new AirlockError('CONFLICT', `Cancelled by ${by}.`));
      }, () => undefined);
    }, CANCEL_POLL_MS);
    timeLimit.unref();
    cancelPoll.unref();
    const result = await runInWorker(
      {
        kind: 'train',
        backend: ctx.backend,
        rows,
        features: specs.features,
        target: specs.target,
        modelKind: request.kind,
        imbalance: request.imbalance,
        hyperparameters: request.hyperparameters,
        seed: request.seed ?? 0,
        latencyRow: Object.fromEntries(featureNames.map((f) => [f, rows[0]?.[f] ?? null])),
        assess: { attributes: limits.fairnessAttributes, maxMembershipAuc: limits.maxMembershipAuc },
        evaluation: evaluationRows,
      },
      {
        maxMemoryMb: ctx.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB,
        signal: stop.signal,
        onEpoch: (p) => {
          // Progress is informational; at most one write per second keeps the catalog quiet.
          if (Date.now() - lastWrite > 1000 || p.epoch === epochs) {
            lastWrite = Date.now();
            void ctx.jobs.progress(jobId, { epoch: p.epoch, epochs, loss: p.loss, valLoss: p.valLoss, valMetric: p.valMetric }).catch(() => undefined);
          }
        },
      },
    ).finally(() => {
      clearTimeout(timeLimit);
      clearInterval(cancelPoll);
    });
    const name = request.name ?? `${request.dataset}-${specs.targetSlug}-${request.kind}`;
    const latency = result.latency;
    const card = {
      dataset: request.dataset,
      zone: request.zone,
      policyVersion: policy?.version ?? null,
      policySha256: policy?.sha256 ?? null,
      dataSnapshotSha256: snapshotSha256,
      rowCounts: result.rowCounts,
      features: specs.features,
      target: specs.target,
      ...(specs.derived && { derivedTarget: { ...specs.derived.definition, name: specs.derived.name, droppedNullRows: derived?.droppedNullRows ?? 0 } }),
      ...(specs.excludedFeatures.length > 0 && { excludedFeatures: specs.excludedFeatures }),
      kind: request.kind,
      imbalance: request.imbalance ?? 'none',
      hyperparameters: result.model.hyperparameters ?? request.hyperparameters ?? {},
      seed: request.seed ?? 0,
      backend: result.backend,
      epochs: result.epochs,
      bestEpoch: result.bestEpoch,
      stoppedEarly: result.stoppedEarly,
      trainingMs: result.trainingMs,
      predictionLatencyMs: { p50: latency.p50, p99: latency.p99 },
      metrics: result.metrics,
      assessment: result.assessment,
      // Trained on `zone` (rowCounts); tested on its test split (metrics) and, with an evaluation
      // zone, on that zone's held-out rows (real people for a model trained on synthetic rows).
      evaluation: evaluationZone ? { zone: evaluationZone, heldOutShare: EVALUATION_SHARE, ...(result.evaluation ?? { rows: 0, metrics: {}, intervals: {}, note: 'the evaluation zone does not show every feature and the target' }) } : undefined,
      trainedBy: job.requestedBy,
      trainedAt: new Date().toISOString(),
      jobId,
    };
    const model = await ctx.registry.register({
      name,
      dataset: request.dataset,
      zone: request.zone,
      kind: request.kind,
      target: specs.target.name,
      features: featureNames,
      metrics: result.metrics,
      card,
      createdBy: job.requestedBy,
      artifact: result.model,
    });
    await ctx.jobs.progress(jobId, { epoch: result.epochs, epochs, loss: result.history.at(-1)?.loss, valLoss: result.history.at(-1)?.valLoss, valMetric: result.history.at(-1)?.valMetric });
    await ctx.jobs.finish(jobId, { state: 'succeeded', modelId: model.id });
    await audit.append({ ...base, type: 'train.end', outcome: 'allowed', details: { jobId, modelId: model.id, name, version: model.version, backend: result.backend, dataSnapshotSha256: snapshotSha256 } });
  } catch (error) {
    const message = error instanceof AirlockError ? error.message : 'Training failed; see the trainer log.';
    ctx.logger.error({ err: error, jobId }, 'training job failed');
    await ctx.jobs.finish(jobId, { state: 'failed', error: message });
    await audit.append({ ...base, type: 'train.end', outcome: 'error', details: { jobId, error: message } });
  }
}

/**
 * The evaluation hold-out of `zone`, with the model's features and target, read under that zone's
 * role. Undefined when the zone does not show one of those columns (the card says so).
 */
async function readEvaluationRows(ctx: JobContext, zone: RecordZone, dataset: string, columns: readonly string[]): Promise<Row[] | undefined> {
  try {
    return (await loadTrainingRows(ctx.database, zone, dataset, columns, 'hold-out')).rows;
  } catch (error) {
    if ((error as { code?: string }).code === '42703') return undefined;
    throw error;
  }
}
