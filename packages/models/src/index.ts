/**
 * `@airlock/models`: the model registry, training jobs and the queue that carries them. The
 * gateway records and reads jobs and models here and asks trainers for work through the queue;
 * the trainer takes that work. No training happens in this package.
 */
export { RegistryRepository } from './registry.repository.ts';
export type { ModelRecord } from './registry.repository.ts';
export { JobsRepository } from './jobs.repository.ts';
export type { TrainingJob, JobState } from './jobs.repository.ts';
export { resolveSpecs } from './training-request.ts';
export type { TrainingRequest, ResolvedSpecs } from './training-request.ts';
export { bucketLabels, deriveTargetRows, derivedTargetName, MAX_IN_VALUES } from './derived-target.ts';
export type { DerivedTarget, DeriveOp, DeriveValue, ResolvedDerivedTarget, TargetRequest } from './derived-target.ts';
export { TRAINING_QUEUE } from './queue.ts';
export { openJobQueue, ANALYSIS_QUEUE } from './job-queue.ts';
export type { JobQueue, JobQueueOptions, TrainingQueue } from './job-queue.ts';
export { checkComparable } from './analysis.ts';
export { membershipStanding, membershipRefusal } from './model-privacy.ts';
export type { MembershipStanding } from './model-privacy.ts';
export type { AnalysisOutcome, AnalysisRequest, AnalysisResult, ComparisonRows, ModelComparisonReport } from './analysis.ts';
export { FeedbackRepository } from './feedback.repository.ts';
export type { LoggedPrediction, OutcomeReceipt } from './feedback.repository.ts';
export { liveMetrics } from './live-metrics.ts';
export type { LiveMetrics } from './live-metrics.ts';
export { EVALUATION_SHARE, inEvaluationHoldOut } from './evaluation-split.ts';
