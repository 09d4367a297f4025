import { DATE_GRAINS, ZONES } from '@airlock/core';
import { z } from 'zod';
import { RISK_DEFAULTS } from './risk-targets.ts';

/*
 * The shape of the YAML files, before cross-field checks. Keys are snake_case as written by data
 * owners; conversion to the camelCase model happens in convert.ts. Every object is strict: an
 * unknown key is an error (a typo such as `min_cout` must not silently fall back to a default).
 */

/** The column types a policy may declare, as written in YAML. */
export const COLUMN_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'timestamp'] as const;

/** The column classes a policy may declare (see ColumnClass in model.ts for their meaning). */
export const COLUMN_CLASSES = ['identifier', 'quasi_identifier', 'event_date', 'sensitive', 'measure', 'label', 'attribute'] as const;

const DATASET_NAME = /^[a-z][a-z0-9_]*$/u;
// Hyphens are allowed because public CSVs use them (the UCI Adult file has `marital-status`).
const COLUMN_NAME = /^[a-z][a-z0-9_-]*$/u;
const ROLE_NAME = /^[a-z][a-z0-9_-]*$/u;

const datasetName = z.string().regex(DATASET_NAME, { error: 'lowercase letters, digits and _, starting with a letter' });
const columnName = z.string().regex(COLUMN_NAME, { error: 'lowercase letters, digits, _ and -, starting with a letter' });
const roleName = z.string().regex(ROLE_NAME, { error: 'lowercase letters, digits, _ and -, starting with a letter' });

const nonEmptyRecord = (what: string) => (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
  if (Object.keys(value).length === 0) {
    ctx.addIssue({ code: 'custom', message: 'is empty', params: { fix: `declare at least one ${what}` } });
  }
};

const roleList = z.array(z.string().min(1)).min(1);

const columnSchema = z.strictObject({
  type: z.enum(COLUMN_TYPES),
  class: z.enum(COLUMN_CLASSES),
  nullable: z.boolean().default(false),
  // The column's name in the CSV header when it is not the column name: any text, e.g. "Total Cost $".
  header: z.string().trim().min(1).optional(),
  values: z.array(z.string()).min(1).optional(),
  // Validated on its own (transform.ts): its shape depends on which transform it names.
  deidentified: z.unknown().optional(),
  /** Lint rule ids this column accepts, each with the owner's reason (e.g. an expert determination). */
  accept: z.record(z.string(), z.string().min(1)).optional(),
});

const zoneAccessSchema = z.strictObject({ roles: roleList });

/** A measure's clamp bounds: values are clamped into [min, max] before they are summed. */
const measureBounds = z
  .strictObject({ min: z.number(), max: z.number() })
  .refine((b) => b.min < b.max, { error: 'min must be below max', params: { fix: 'write the smallest and largest plausible value, min < max' } });

export const BUDGET_PERIODS = ['day', 'week', 'month', 'quarter', 'year'] as const;

const aggregatePrivacySchema = z.strictObject({
  // zCDP ρ one analyst may spend on the dataset per period. 0.25 is about ε = 4.3 at δ = 1e-7
  // for the whole period; see policies/README.md for what it buys.
  budget: z.number().positive().max(100).default(0.25),
  period: z.enum(BUDGET_PERIODS).default('month'),
  // ρ a query spends unless the analyst asks for another cost or a target accuracy.
  query_cost: z.number().positive().max(100).default(0.05),
  // Used to report ρ as (ε, δ) and, with undeclared group values, for partition selection.
  delta: z.number().positive().max(1e-3).default(1e-7),
});

/** How far the risk search may generalize one column, and along what (see packages/risk). */
const hierarchySchema = z.strictObject({
  // 0 = publish the column as its transform gives it, never coarser.
  max_level: z.int().min(0).optional(),
  // Band widths for a numeric column, finest first, e.g. [5, 10, 20] years.
  bands: z.array(z.number().positive()).min(1).optional(),
  // One level of declared categories: group name → the values it holds.
  groups: z.record(z.string().min(1), z.array(z.string()).min(1)).optional(),
});

const deidentifiedSchema = z.strictObject({
  roles: roleList,
  // Defaults and why: RISK_DEFAULTS in risk-targets.ts. k = 1 would publish unique records.
  k: z.int().min(2).default(RISK_DEFAULTS.k),
  l: z.int().min(1).default(RISK_DEFAULTS.l),
  max_suppressed: z.number().min(0).max(1).default(RISK_DEFAULTS.maxSuppressed),
  // Extra columns an attacker may know (the quasi_identifier and event_date columns always count).
  quasi_identifiers: z.array(z.string()).optional(),
  hierarchies: z.record(z.string(), hierarchySchema).optional(),
});

const aggregateSchema = z.strictObject({
  roles: roleList,
  // 11 is the small-cell threshold used by CMS's cell suppression policy; 2 is the floor because
  // a cell of one subject is that person's record. Applied to the noisy count of subjects.
  min_count: z.int().min(2).default(11),
  // With no date columns the grain is moot; the coarsest grain is the safe default.
  finest_date_grain: z.enum(DATE_GRAINS).default('year'),
  dimensions: z.array(z.string()),
  // A list of names is accepted by the schema so the cross-check can say what is missing (bounds).
  measures: z.union([z.record(z.string(), measureBounds), z.array(z.string())]).optional(),
  date_columns: z.array(z.string()).optional(),
  // Contribution bounding: at most this many of a subject's rows count in one query.
  max_rows_per_subject: z.int().min(1).max(1000).default(1),
  privacy: aggregatePrivacySchema.prefault({}),
});

/** A public range for the private synthesizer: numbers, or YYYY-MM-DD for dates and timestamps. */
const boundValue = z.union([z.number(), z.iso.date()]);
const syntheticBounds = z.strictObject({
  min: boundValue,
  max: boundValue,
  // Model the column as its difference, in days (dates, timestamps) or units, from this column.
  after: z.string().optional(),
  // Equal-width bins over [min, max]; 16 by default.
  bins: z.int().min(1).max(1000).optional(),
});

const syntheticPrivacySchema = z.strictObject({
  // ε of one release, at δ. See policies/README.md for what ε = 1 and 10 keep on Adult.
  epsilon: z.number().positive().max(100),
  delta: z.number().positive().max(1e-3).default(1e-6),
  // Releases (refreshes) allowed per period: the ledger holds this many releases' ρ.
  releases_per_period: z.int().min(1).max(1000).default(4),
  period: z.enum(BUDGET_PERIODS).default('year'),
  // Default: the aggregate zone's max_rows_per_subject, or 1.
  max_rows_per_subject: z.int().min(1).max(1000).optional(),
  bounds: z.record(z.string(), syntheticBounds).optional(),
});

const syntheticSchema = z.strictObject({
  roles: roleList,
  // Absent: the ordinary generator (no differential privacy; the release gate and the
  // deidentified generalization still apply).
  privacy: syntheticPrivacySchema.optional(),
  max_exact_match_ratio: z.number().positive().default(1.15),
  max_closer_to_train_share: z.number().positive().max(1).default(0.55),
  refresh_after_ingest: z.boolean().default(false),
});

/** A `policies/<dataset>.yaml` file. */
export const datasetFileSchema = z.strictObject({
  dataset: datasetName,
  description: z.string().optional(),
  subject: z.string().min(1),
  // false: the rows describe no people (flights, sensors, places); the HIPAA Safe Harbor and
  // location lints stay quiet. The zones and their guarantees are unchanged.
  about_people: z.boolean().default(true),
  columns: z.record(columnName, columnSchema).superRefine(nonEmptyRecord('column')),
  zones: z.strictObject({
    restricted: zoneAccessSchema,
    deidentified: deidentifiedSchema.optional(),
    aggregate: aggregateSchema.optional(),
    synthetic: syntheticSchema.optional(),
  }),
  // Absent means no zone is approved for training: the safe default.
  training: z
    .strictObject({
      approved_zones: z.array(z.enum(ZONES)),
      roles: roleList.optional(),
      // Above 0.5 (guessing): a limit at or below it would refuse every model.
      max_membership_auc: z.number().gt(0.5).max(1).default(0.6),
      fairness_attributes: z.array(columnName).default([]),
      // Real rows every model of the dataset is also scored on (a fixed held-out share).
      evaluation_zone: z.enum(['deidentified']).optional(),
    })
    .optional(),
});

/** `policies/roles.yaml`. */
export const rolesFileSchema = z.strictObject({
  roles: z
    .record(
      roleName,
      z.strictObject({
        description: z.string().optional(),
        steward: z.boolean().default(false),
      }),
    )
    .superRefine(nonEmptyRecord('role')),
});

/** A dataset file as the schema outputs it: snake_case keys, defaults filled. */
export type DatasetFile = z.output<typeof datasetFileSchema>;
/** The roles file as the schema outputs it. */
export type RolesFile = z.output<typeof rolesFileSchema>;
