/**
 * @airlock/synth: synthetic data for the `synthetic` zone. Fit a generator to real rows (a
 * Bayesian network over discretized columns, identifiers replaced by fakes), sample from it,
 * report quality, utility and privacy, and decide whether the release may be published.
 * Pure and in memory: reading the restricted zone and writing the synthetic one is the caller's job.
 */
export type { FakeKind, SynthColumn, SynthColumnKind, SynthRow, SynthTable, SynthValue } from './types.ts';
export { privateDomainsFromPolicy, synthColumnsFromPolicy } from './policy-columns.ts';
export type { PolicySynthColumns } from './policy-columns.ts';
export { fitGenerator, sampleRows } from './generator.ts';
export type { FitOptions, SampleOptions } from './generator.ts';
export { MODEL_FORMAT, OTHER_CATEGORY, OTHER_VALUE } from './model.ts';
export type { ColumnModel, DiscreteColumnModel, GeneratorModel, IdentifierColumnModel, NetworkNode, NumericColumnModel } from './model.ts';
export { qualityReport } from './quality.ts';
export type { ColumnPairScore, ColumnShapeScore, QualityReport } from './quality.ts';
export { utilityReport } from './utility.ts';
export type { ClassifierScores, RealSplit, UtilityOptions, UtilityReport } from './utility.ts';
export { privacyReport } from './privacy.ts';
export type { PrivacyOptions, PrivacyReport } from './privacy.ts';
export { DEFAULT_RELEASE_THRESHOLDS, releaseDecision } from './gate.ts';
export type { ReleaseDecision, ReleaseFailure, ReleaseThresholds } from './gate.ts';
export { fitPrivateGenerator } from './private-generator.ts';
export type { PrivateFitAccount, PrivateFitOptions } from './private-generator.ts';
export type { PublicDomain } from './private-domain.ts';
export { splitRows, synthesize } from './pipeline.ts';
export type { SynthesisResult, SynthesizeOptions, SynthPhase, SynthTimings } from './pipeline.ts';
