import { AirlockError, type ErrorCode } from '@airlock/core';
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

/** Two classifiers on the same held-out rows, with how many rows that was. */
export type ModelComparisonReport = ModelComparison & { testRows: number };

export type AnalysisResult = { kind: 'drift'; drift: FeatureDrift[] } | { kind: 'compare'; comparison: ModelComparisonReport };

/**
 * What a trainer stores as the queue job's output: the result, or the error a caller should see
 * (code and message of an AirlockError; anything else is reported as INTERNAL and logged by the trainer).
 */
export type AnalysisOutcome = { ok: true; result: AnalysisResult } | { ok: false; code: ErrorCode; message: string };

/**
 * Two models can be compared only on the test set both were scored on: same dataset, zone,
 * target, data snapshot and seed (the split is rebuilt from those), and only classifiers.
 * Pure, so the gateway refuses a bad pair at once and the trainer checks again.
 */
export function checkComparable(a: ModelRecord, b: ModelRecord): void {
  const cardA = a.card as { dataSnapshotSha256?: string; seed?: number; target?: { kind: string } };
  const cardB = b.card as typeof cardA;
  if (a.dataset !== b.dataset || a.zone !== b.zone || a.target !== b.target || cardA.dataSnapshotSha256 !== cardB.dataSnapshotSha256 || cardA.seed !== cardB.seed) {
    throw new AirlockError(
      'BAD_REQUEST',
      'Models can be compared only on the same test set: train both on the same dataset, zone, target, data snapshot and seed.',
    );
  }
  if (cardA.target?.kind !== 'binary') throw new AirlockError('BAD_REQUEST', 'Comparison is for binary classifiers (McNemar and ROC AUC).');
}
