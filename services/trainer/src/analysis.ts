import { AirlockError, isAirlockError, type Logger, type Zone } from '@airlock/core';
import type { AirlockDatabase } from '@airlock/db';
import { modelFeatures, type Row } from '@airlock/ml';
import { checkComparable, deriveTargetRows, type AnalysisOutcome, type AnalysisRequest, type DerivedTarget, type ModelRecord, type RegistryRepository } from '@airlock/models';
import { canRead, type PolicySet } from '@airlock/policy';
import { loadTrainingRows } from './training-data.ts';
import { runInWorker } from './worker/run-in-worker.ts';

export interface AnalysisContext {
  database: AirlockDatabase;
  registry: RegistryRepository;
  policies: () => Promise<{ set: PolicySet }>;
  logger: Logger;
  /** Heap limit of the analysis worker thread, in MB (as for training jobs). */
  maxMemoryMb: number;
}

/**
 * Answer an analysis a gateway queued: read access is checked again against the policy in force
 * now and the requester's roles; rows are read through the zone's role here, and the computation
 * runs in a worker thread. Returns the outcome to store as the queue job's output; an
 * AirlockError becomes `{ ok: false }` with its code and message, anything else is logged and
 * reported as INTERNAL.
 */
export async function runAnalysis(ctx: AnalysisContext, request: AnalysisRequest): Promise<AnalysisOutcome> {
  try {
    const { set } = await ctx.policies();
    const model = async (id: number, zone?: Zone): Promise<ModelRecord> => {
      const found = await ctx.registry.resolve(String(id));
      // Vague on purpose, like every authorization failure.
      if (!found || canRead(set, request.roles, found.dataset, found.zone).kind === 'deny' || (zone && canRead(set, request.roles, found.dataset, zone).kind === 'deny')) {
        throw new AirlockError('FORBIDDEN', 'Not allowed, or no such model.');
      }
      return found;
    };
    switch (request.kind) {
      case 'drift': {
        const found = await model(request.modelId, request.zone);
        const artifact = await ctx.registry.artifact(found);
        const { rows } = await loadTrainingRows(ctx.database, request.zone, found.dataset, modelFeatures(artifact).map((f) => f.name));
        const drift = await runInWorker({ kind: 'drift', artifact, rows }, { maxMemoryMb: ctx.maxMemoryMb });
        return { ok: true, result: { kind: 'drift', drift } };
      }
      case 'compare': {
        const [a, b] = [await model(request.modelA), await model(request.modelB)];
        const on = checkComparable(a, b);
        const card = a.card as { dataSnapshotSha256?: string; seed?: number; derivedTarget?: DerivedTarget; evaluation?: { zone?: string } };
        const [artifactA, artifactB] = await Promise.all([ctx.registry.artifact(a), ctx.registry.artifact(b)]);
        const features = [...new Set([...a.features, ...b.features])];
        // A derived target is read as its source column and derived again, as the trainer did.
        const derived = card.derivedTarget;
        const read = [...features, derived ? derived.column : a.target];
        const derive = (loaded: Row[]): Row[] => (derived ? deriveTargetRows(loaded, { definition: derived, name: a.target, slug: a.target, kind: 'binary' }).rows : loaded);
        let rows: Row[];
        if (on.kind === 'evaluation-hold-out') {
          rows = derive((await loadTrainingRows(ctx.database, on.zone, a.dataset, read, 'hold-out')).rows);
        } else {
          // Trained on the evaluation zone itself: the hold-out was left out of its rows then too.
          const loaded = await loadTrainingRows(ctx.database, a.zone, a.dataset, read, card.evaluation?.zone === a.zone ? 'train' : 'all');
          if (loaded.snapshotSha256 !== card.dataSnapshotSha256) {
            throw new AirlockError('CONFLICT', `The ${a.zone} data of ${a.dataset} changed since these models were trained; their test set cannot be rebuilt. Retrain both.`);
          }
          rows = derive(loaded.rows);
        }
        if (artifactA.encoder.target.kind !== 'binary') throw new AirlockError('BAD_REQUEST', 'Comparison is for classifiers (McNemar and ROC AUC).');
        const comparison = await runInWorker(
          { kind: 'compare', a: { artifact: artifactA, features: a.features }, b: { artifact: artifactB, features: b.features }, rows, rowsAreTest: on.kind === 'evaluation-hold-out', seed: card.seed ?? 0 },
          { maxMemoryMb: ctx.maxMemoryMb },
        );
        return { ok: true, result: { kind: 'compare', comparison } };
      }
    }
  } catch (error) {
    if (isAirlockError(error)) return { ok: false, code: error.code, message: error.message };
    ctx.logger.error({ err: error, analysis: request.kind }, 'analysis failed');
    return { ok: false, code: 'INTERNAL', message: 'The analysis failed; see the trainer log.' };
  }
}
