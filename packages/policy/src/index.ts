/*
 * @airlock/policy: policy files parsed into a frozen model, validated with positions, and the pure
 * decisions every zone check goes through. Other packages import from here only.
 */
export type {
  AggregateMeasure,
  AggregatePrivacy,
  AggregateZone,
  BudgetPeriod,
  ColumnHierarchy,
  DeidentifiedZone,
  ColumnClass,
  ColumnPolicy,
  ColumnType,
  DatasetPolicy,
  DatasetZones,
  DeidTransform,
  Policy,
  PolicyProblem,
  PolicySet,
  PolicySource,
  RoleDefinition,
  RolesPolicy,
  SourcePosition,
  SyntheticBound,
  SyntheticPrivacy,
  SyntheticZone,
  TrainingPolicy,
  ZoneAccess,
} from './model.ts';
export { ROW_SUBJECT } from './model.ts';

export { loadPolicies, type LoadResult } from './load-policies.ts';
export { isRolesFile, parsePolicyText, type ParseResult } from './parse-policy.ts';
export { formatProblem } from './problem.ts';
export { LINT_RULES, type LintRule } from './safe-harbor.ts';
export { COLUMN_CLASSES, COLUMN_TYPES } from './schema.ts';

export { policySetFromModels } from './policy-set.ts';
export { deserializePolicy, serializePolicy, type SerializedPolicy } from './serialize.ts';

export { canRead, isSteward, visibleDatasets, type Decision, type Deny, type VisibleDataset } from './access.ts';
export { allowedColumns, type ColumnView, type ColumnsDecision } from './column-views.ts';
export { aggregateRules, type AggregateDecision, type AggregateRules } from './aggregate-rules.ts';
export { trainingApproved } from './training-approval.ts';
export { trainingLimits, DEFAULT_MAX_MEMBERSHIP_AUC } from './model.ts';
export { deidentifiedType } from './deidentified-type.ts';
export { deidentifiedRisk, RISK_DEFAULTS, type DeidentifiedRisk } from './risk-targets.ts';
