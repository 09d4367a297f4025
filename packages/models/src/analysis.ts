import { AirlockError, type ErrorCode, type RecordZone } from '@airlock/core';
import type { FeatureDrift, ModelComparison } from '@airlock/ml';
import type { ModelRecord } from './registry.repository.ts';

/**
 * Work over zone data that the gateway asks a trainer for, instead of doing it in a request: drift
 * of a zone's data from a model's training data, and two models compared on one test set. The
 * gateway authorizes first; the trainer checks read access again against the policy in force.
 */
export type AnalysisRequest =
  | { kind: 'drift'; modelId: number; zone: ModelRecord['zone']; requestedBy: string; roles: string[] }
  | { kind: 'compare'; modelA: number; modelB: number; requestedBy: string; roles: string[] };

/** Two classifiers on the same held-out rows, with how many rows that was and which rows. */
export type ModelComparisonReport = ModelComparison & { testRows: number; testedOn: string };

export type AnalysisResult = { kind: 'drift'; drift: FeatureDrift[] } | { kind: 'compare'; comparison: ModelComparisonReport };

/**
 * What a trainer stores as the queue job's output: the result, or the error a caller should see
 * (code and message of an AirlockError; anything else is reported as INTERNAL and logged by the trainer).
 */
export type AnalysisOutcome = { ok: true; result: AnalysisResult } | { ok: false; code: ErrorCode; message: string };

/** Where two models can both be scored: a shared evaluation hold-out, or a shared test split. */
export type ComparisonRows = { kind: 'evaluation-hold-out'; zone: RecordZone } | { kind: 'test-split' };

/**
 * Two classifiers of a dataset with the same target can be compared on rows neither trained on:
 * the evaluation zone's hold-out when both were scored on it (whatever zones they were trained
 * on: a synthetic-trained model against a deidentified-trained one, on real people), else the
 * test split both share (same zone, data snapshot and seed: the split is rebuilt from those).
 * Pure, so the gateway refuses a bad pair at once and the trainer checks again.
 */
export function checkComparable(a: ModelRecord, b: ModelRecord): ComparisonRows {
  const cardA = a.card as { dataSnapshotSha256?: string; seed?: number; target?: { kind: string }; evaluation?: { zone?: RecordZone; rows?: number } };
  const cardB = b.card as typeof cardA;
  if (a.dataset !== b.dataset || a.target !== b.target) {
    throw new AirlockError('BAD_REQUEST', 'Models can be compared only on the same dataset and target.');
  }
  if (cardA.target?.kind !== 'binary' || cardB.target?.kind !== 'binary') throw new AirlockError('BAD_REQUEST', 'Comparison is for classifiers (McNemar and ROC AUC).');
  const zone = cardA.evaluation?.zone;
  if (zone !== undefined && zone === cardB.evaluation?.zone && (cardA.evaluation?.rows ?? 0) > 0 && (cardB.evaluation?.rows ?? 0) > 0) return { kind: 'evaluation-hold-out', zone };
  if (a.zone !== b.zone || cardA.dataSnapshotSha256 !== cardB.dataSnapshotSha256 || cardA.seed !== cardB.seed) {
    throw new AirlockError(
      'BAD_REQUEST',
      "Models can be compared only on rows both were scored on: name an evaluation zone in the dataset's policy (training.evaluation_zone) and retrain, or train both on the same zone, data snapshot and seed.",
    );
  }
  return { kind: 'test-split' };
}
