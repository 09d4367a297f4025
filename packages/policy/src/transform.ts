import { z } from 'zod';
import type { DeidTransform, PolicyProblem } from './model.ts';
import { problem } from './problem.ts';
import { suggestionFix } from './suggest.ts';
import type { Locator, YamlPath } from './yaml-source.ts';
import { describe, pathLabel, schemaProblems } from './zod-problems.ts';

/*
 * A `deidentified:` value is `keep`, `drop`, or a mapping whose leading key names the transform.
 * Each transform has its own strict schema, chosen by that key, so an error talks about the
 * transform the owner meant instead of listing why every alternative of a union failed.
 */

const domain = z.string().regex(/^[a-z][a-z0-9_]*$/u, { error: 'lowercase letters, digits and _, starting with a letter' });

const increasing = (edges: number[], ctx: z.RefinementCtx) => {
  for (let i = 1; i < edges.length; i++) {
    const previous = edges[i - 1] ?? Number.NEGATIVE_INFINITY;
    const edge = edges[i] ?? Number.POSITIVE_INFINITY;
    if (!(edge > previous)) {
      ctx.addIssue({ code: 'custom', path: [i], message: `is ${edge}, not above the edge before it (${previous})`, params: { fix: 'list bucket edges in strictly increasing order' } });
    }
  }
};

const TRANSFORM_SCHEMAS = {
  tokenize: z.strictObject({
    tokenize: z.strictObject({
      domain,
      reversible: z.boolean().default(false),
      case_fold: z.boolean().default(true),
    }),
  }),
  surrogate: z.strictObject({ surrogate: z.strictObject({ domain }) }),
  // `day` is the full date: write `keep` to keep it, so the choice is visible.
  generalize: z.strictObject({ generalize: z.enum(['week', 'month', 'quarter', 'year']) }),
  shift: z.strictObject({ shift: z.strictObject({ max_days: z.int().min(1) }) }),
  age: z.strictObject({
    age_at: z.string().min(1).optional(),
    // HIPAA Safe Harbor, 45 CFR 164.514(b)(2)(i)(C): ages over 89 are reported as 90 or older.
    top_code: z.int().min(1).default(90),
  }),
  // The deid package keeps 1 to 5 characters of a ZIP code.
  truncate: z.strictObject({ truncate: z.int().min(1).max(5), zip3: z.boolean().default(false) }),
  // Coordinates: round to a grid of `grid` degrees (0.01 ≈ 1.1 km of latitude).
  grid: z.strictObject({ grid: z.number().positive().max(180) }),
  bucket: z.strictObject({ bucket: z.array(z.number()).min(1).superRefine(increasing) }),
  clamp: z.strictObject({
    clamp: z
      .strictObject({ min: z.number().optional(), max: z.number().optional() })
      .superRefine((value, ctx) => {
        if (value.min === undefined && value.max === undefined) {
          ctx.addIssue({ code: 'custom', message: 'sets neither min nor max', params: { fix: 'add max: <number> (top coding), min: <number> (bottom coding), or both' } });
        } else if (value.min !== undefined && value.max !== undefined && value.min > value.max) {
          ctx.addIssue({ code: 'custom', path: ['min'], message: `is ${value.min}, above max ${value.max}`, params: { fix: 'make min at most max' } });
        }
      }),
  }),
} as const;

type TransformName = keyof typeof TRANSFORM_SCHEMAS;

/** The key that names each transform; `top_code` alone means an age at the ingest date. */
const LEADING_KEYS: Readonly<Record<string, TransformName>> = {
  tokenize: 'tokenize',
  surrogate: 'surrogate',
  generalize: 'generalize',
  shift: 'shift',
  age_at: 'age',
  top_code: 'age',
  truncate: 'truncate',
  bucket: 'bucket',
  clamp: 'clamp',
  grid: 'grid',
};

const KEYWORDS = ['keep', 'drop'] as const;

/** Every spelling a `deidentified:` value may start with, for suggestions and docs. */
export const TRANSFORM_KEYS: readonly string[] = [...KEYWORDS, ...Object.keys(LEADING_KEYS)];

/** A parsed transform, or undefined with the problems that stopped it. */
export interface TransformResult {
  readonly transform: DeidTransform | undefined;
  readonly problems: readonly PolicyProblem[];
}

/**
 * Parses a column's `deidentified:` value at `path`. An absent value means `keep`; whether keep is
 * allowed for the column is a cross-check.
 */
export function parseTransform(raw: unknown, path: YamlPath, locate: Locator): TransformResult {
  if (raw === undefined) return { transform: { kind: 'keep' }, problems: [] };
  const label = pathLabel(path);
  if (typeof raw === 'string') {
    if (raw === 'keep' || raw === 'drop') return { transform: { kind: raw }, problems: [] };
    return fail(problem('error', locate(path), 'unknown-transform', `${label} "${raw}" is not a transform`, suggestionFix(raw, TRANSFORM_KEYS, 'transforms')));
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail(
      problem('error', locate(path), 'wrong-type', `${label} must be keep, drop or a transform mapping, got ${describe(raw)}`, 'write e.g. drop, or { generalize: year }'),
    );
  }

  const keys = Object.keys(raw);
  const names = [...new Set(keys.flatMap((key) => LEADING_KEYS[key] ?? []))];
  const [name, second] = names;
  if (name === undefined) {
    const key = keys[0];
    if (key === undefined) return fail(problem('error', locate(path), 'unknown-transform', `${label} is an empty mapping`, 'write keep, drop, or a transform such as { generalize: year }'));
    return fail(problem('error', locate([...path, key], 'key'), 'unknown-transform', `${label} names no known transform ("${key}")`, suggestionFix(key, Object.keys(LEADING_KEYS), 'transform keys')));
  }
  if (second !== undefined) {
    const key = keys.find((k) => LEADING_KEYS[k] === second) ?? second;
    return fail(
      problem('error', locate([...path, key], 'key'), 'two-transforms', `${label} names two transforms, ${name} and ${second}`, 'keep one transform per column'),
    );
  }

  const schema = TRANSFORM_SCHEMAS[name];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { transform: undefined, problems: schemaProblems(parsed.error.issues, schema, raw, locate, path) };
  return { transform: toModel(parsed.data), problems: [] };
}

type ParsedTransform = z.output<(typeof TRANSFORM_SCHEMAS)[TransformName]>;

function toModel(parsed: ParsedTransform): DeidTransform {
  if ('tokenize' in parsed) {
    const t = parsed.tokenize;
    return { kind: 'tokenize', domain: t.domain, reversible: t.reversible, caseFold: t.case_fold };
  }
  if ('surrogate' in parsed) return { kind: 'surrogate', domain: parsed.surrogate.domain };
  if ('generalize' in parsed) return { kind: 'generalize', grain: parsed.generalize };
  if ('shift' in parsed) return { kind: 'shift', maxDays: parsed.shift.max_days };
  if ('truncate' in parsed) return { kind: 'truncate', digits: parsed.truncate, zip3: parsed.zip3 };
  if ('bucket' in parsed) return { kind: 'bucket', edges: parsed.bucket };
  if ('grid' in parsed) return { kind: 'grid', step: parsed.grid };
  if ('clamp' in parsed) return { kind: 'clamp', min: parsed.clamp.min, max: parsed.clamp.max };
  return { kind: 'age', at: parsed.age_at, topCode: parsed.top_code };
}

function fail(p: PolicyProblem): TransformResult {
  return { transform: undefined, problems: [p] };
}
