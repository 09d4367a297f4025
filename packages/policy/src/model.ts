import type { DateGrain, Zone } from '@airlock/core';

/*
 * The typed, frozen policy model. A policy file (`policies/<dataset>.yaml`) parses into a
 * DatasetPolicy; `policies/roles.yaml` into a RolesPolicy. Everything downstream (ingest, the
 * gateway, synthesis, the trainer) reads these types, never the YAML.
 */

export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp';

/**
 * identifier: names a person directly (name, MRN, SSN, email) — must be tokenized, replaced by a
 *   surrogate or dropped in the deidentified zone.
 * quasi_identifier: identifies in combination (birth date, ZIP, sex, age).
 * event_date: a date of an event about the subject (admission, discharge).
 * sensitive: the private attribute itself (diagnosis).
 * measure: numeric value aggregated (cost, length of stay).
 * label: an outcome column models learn to predict.
 * attribute: anything else.
 */
export type ColumnClass =
  | 'identifier'
  | 'quasi_identifier'
  | 'event_date'
  | 'sensitive'
  | 'measure'
  | 'label'
  | 'attribute';

/** How a column appears in the deidentified zone. */
export type DeidTransform =
  | { kind: 'keep' }
  | { kind: 'drop' }
  /** Keyed HMAC-SHA-256 token in a domain; `reversible` keeps the value encrypted in the vault. */
  | { kind: 'tokenize'; domain: string; reversible: boolean; caseFold: boolean }
  /** A random identifier per distinct value; the mapping lives only in the vault (Safe Harbor). */
  | { kind: 'surrogate'; domain: string }
  | { kind: 'generalize'; grain: Exclude<DateGrain, 'day'> }
  /** Shift by a keyed per-subject offset within ±maxDays (same offset for all of a subject's dates). */
  | { kind: 'shift'; maxDays: number }
  /** Age in whole years at the date in column `at` (or the ingest date when absent), top-coded. */
  | { kind: 'age'; at: string | undefined; topCode: number }
  /** Latitude or longitude rounded to the nearest multiple of `step` degrees (0.01° ≈ 1.1 km). */
  | { kind: 'grid'; step: number }
  /** Keep the first `digits` characters; ZIP3 areas under 20,000 people become `000` when `zip3` is set. */
  | { kind: 'truncate'; digits: number; zip3: boolean }
  /** Numeric bucketing: values map to `[edge_i, edge_{i+1})` labels. */
  | { kind: 'bucket'; edges: readonly number[] }
  /** Top/bottom coding: values above `max` become `max`, below `min` become `min`. */
  | { kind: 'clamp'; min: number | undefined; max: number | undefined };

export interface ColumnPolicy {
  readonly name: string;
  readonly type: ColumnType;
  readonly class: ColumnClass;
  readonly nullable: boolean;
  /** For categorical strings: the declared set of values, if the owner lists them. */
  readonly values: readonly string[] | undefined;
  /** The column's header in source files, when it differs from the name (`header:`). */
  readonly header?: string | undefined;
  readonly deidentified: DeidTransform;
  /** Where the column is declared: file, line and column (for messages). */
  readonly position: SourcePosition;
}

export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface ZoneAccess {
  readonly roles: readonly string[];
}

/** A measure of the aggregate zone with the bounds its values are clamped to before summing. */
export interface AggregateMeasure {
  readonly column: string;
  readonly min: number;
  readonly max: number;
}

/** How often a privacy-loss budget renews (UTC calendar periods; weeks start on Monday). */
export type BudgetPeriod = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** Differential privacy settings of a dataset's aggregates, in zero-concentrated DP (ρ). */
export interface AggregatePrivacy {
  /** ρ one analyst (JWT subject) may spend on the dataset per period. */
  readonly budgetRho: number;
  readonly period: BudgetPeriod;
  /** ρ a query spends unless the analyst asks for another cost or a target accuracy. */
  readonly queryRho: number;
  /** δ for reporting ρ as (ε, δ) and for partition selection of undeclared group values. */
  readonly delta: number;
}

export interface AggregateZone extends ZoneAccess {
  /** Cells whose noisy count of distinct subjects is below this are suppressed (≥ 2). */
  readonly minCount: number;
  readonly finestDateGrain: DateGrain;
  readonly dimensions: readonly string[];
  readonly measures: readonly AggregateMeasure[];
  /** Date columns that may be bucketed; default: every date/timestamp column. */
  readonly dateColumns: readonly string[];
  /** Contribution bounding: at most this many rows of one subject count in a query. */
  readonly maxRowsPerSubject: number;
  readonly privacy: AggregatePrivacy;
}

/** A public range of one column for the private synthesizer (`zones.synthetic.privacy.bounds`). */
export interface SyntheticBound {
  readonly column: string;
  /** Numbers; for dates and timestamps YYYY-MM-DD (or, with `after`, a number of days). */
  readonly min: number | string;
  readonly max: number | string;
  /** Modelled as the difference from this column. */
  readonly after: string | undefined;
  readonly bins: number;
}

/** Differential privacy of synthetic releases (`zones.synthetic.privacy`). */
export interface SyntheticPrivacy {
  /** ε of one release, at `delta`. */
  readonly epsilon: number;
  readonly delta: number;
  /** Releases one period's budget holds. */
  readonly releasesPerPeriod: number;
  readonly period: BudgetPeriod;
  /** Contribution bounding: at most this many rows of one subject are modelled. */
  readonly maxRowsPerSubject: number;
  readonly bounds: readonly SyntheticBound[];
}

export interface SyntheticZone extends ZoneAccess {
  /** Fit with differential privacy, charged to the privacy-loss ledger; undefined: the ordinary generator. */
  readonly privacy: SyntheticPrivacy | undefined;
  /** Release gate thresholds (defaults: 1.15 and 0.55). */
  readonly maxExactMatchRatio: number;
  readonly maxCloserToTrainShare: number;
  /** Re-synthesize after each ingest. */
  readonly refreshAfterIngest: boolean;
}

/** How the risk search may generalize one quasi-identifier (`zones.deidentified.hierarchies`). */
export interface ColumnHierarchy {
  readonly column: string;
  /** Highest level the search may use; 0 keeps the column as its transform publishes it. */
  readonly maxLevel: number | undefined;
  /** Band widths for a numeric column, finest first. */
  readonly bands: readonly number[] | undefined;
  /** Declared categories: each group with the values it holds. */
  readonly groups: readonly { readonly name: string; readonly values: readonly string[] }[] | undefined;
}

/**
 * The deidentified zone with its re-identification risk targets. The published view is
 * generalized along each quasi-identifier's hierarchy, and records suppressed, until every
 * equivalence class holds k distinct subjects and l distinct values of each sensitive column; if
 * that needs more than `maxSuppressed` of the records, the zone is not published.
 */
export interface DeidentifiedZone extends ZoneAccess {
  /*
   * Parsed policies always carry these (the schema fills the defaults); they are optional so
   * that policies built in code, or stored before they existed, read through
   * deidentifiedRisk(), which fills the same defaults.
   */
  readonly k?: number;
  readonly l?: number;
  /** Share of records (0 to 1). */
  readonly maxSuppressed?: number;
  /** Every quasi_identifier and event_date column that is not dropped, then the extra ones listed. */
  readonly quasiIdentifiers?: readonly string[];
  readonly hierarchies?: readonly ColumnHierarchy[];
}

export interface DatasetZones {
  readonly restricted: ZoneAccess;
  readonly deidentified: DeidentifiedZone | undefined;
  readonly aggregate: AggregateZone | undefined;
  readonly synthetic: SyntheticZone | undefined;
}

export interface TrainingPolicy {
  readonly approvedZones: readonly Zone[];
  /** Roles that may request training; default: every role that can read an approved zone. */
  readonly roles: readonly string[] | undefined;
  /*
   * Parsed policies always carry the next two (the schema fills the defaults); optional so that
   * policies built in code read through trainingLimits(), which fills the same defaults.
   */
  /**
   * Highest membership-inference AUC (loss-threshold attack, training rows against held-out rows)
   * at which a model may be promoted or served outside its zone; default 0.6.
   */
  readonly maxMembershipAuc?: number;
  /** Columns whose subgroups each model card reports metrics for (numeric ones in quantile bands). */
  readonly fairnessAttributes?: readonly string[];
  /**
   * The zone whose rows every model of the dataset is also evaluated on (`evaluation_zone`): a
   * fixed held-out share of its rows (see `evaluationHoldOut` in @airlock/models), never trained
   * on, so a model trained on synthetic rows is scored on real people, and any two models of the
   * dataset on the same rows. Only the deidentified zone: the shape both other zones' models read.
   */
  readonly evaluationZone?: 'deidentified' | undefined;
}

/** Default {@link TrainingPolicy.maxMembershipAuc}. */
export const DEFAULT_MAX_MEMBERSHIP_AUC = 0.6;

/** A training policy's limits with the defaults filled in. */
export function trainingLimits(training: TrainingPolicy): { maxMembershipAuc: number; fairnessAttributes: readonly string[]; evaluationZone: 'deidentified' | undefined } {
  return { maxMembershipAuc: training.maxMembershipAuc ?? DEFAULT_MAX_MEMBERSHIP_AUC, fairnessAttributes: training.fairnessAttributes ?? [], evaluationZone: training.evaluationZone };
}

/**
 * The reserved `subject` value for datasets without a person id: each row is its own subject.
 * Column names start with a letter, so it cannot collide with a declared column.
 */
export const ROW_SUBJECT = '_row';

export interface DatasetPolicy {
  readonly kind: 'dataset';
  readonly dataset: string;
  readonly description: string | undefined;
  /**
   * Column whose values identify the person whose privacy is protected, or {@link ROW_SUBJECT}
   * when each row is its own person (no id column; ingest assigns one).
   */
  readonly subject: string;
  /** False when the rows describe no people (`about_people: false`): no Safe Harbor lints. */
  readonly aboutPeople?: boolean | undefined;
  readonly columns: readonly ColumnPolicy[];
  readonly zones: DatasetZones;
  readonly training: TrainingPolicy;
  readonly source: PolicySource;
}

export interface RoleDefinition {
  readonly name: string;
  readonly description: string | undefined;
  /** Steward roles may read restricted zones they are named in, detokenize, and read the audit log. */
  readonly steward: boolean;
}

export interface RolesPolicy {
  readonly kind: 'roles';
  readonly roles: readonly RoleDefinition[];
  readonly source: PolicySource;
}

export interface PolicySource {
  readonly file: string;
  /** sha256 (hex) of the file's bytes. */
  readonly sha256: string;
  readonly content: string;
}

export type Policy = DatasetPolicy | RolesPolicy;

/** All applied policies: the roles file and one policy per dataset. */
export interface PolicySet {
  readonly roles: RolesPolicy;
  readonly datasets: ReadonlyMap<string, DatasetPolicy>;
}

export interface PolicyProblem {
  readonly severity: 'error' | 'warning';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** What is wrong, naming the value. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** Stable rule id, e.g. `unknown-key`, `safe-harbor-zip`. */
  readonly rule: string;
}
