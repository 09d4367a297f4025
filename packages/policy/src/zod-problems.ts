import type { z } from 'zod';
import type { PolicyProblem } from './model.ts';
import { problem } from './problem.ts';
import { suggestionFix } from './suggest.ts';
import type { Locator, YamlPath } from './yaml-source.ts';

/**
 * Turns zod issues into problems at the offending key or value, with messages that name the value
 * and a fix. zod's own messages ("Invalid input: expected number, received string") say neither
 * where nor what to write instead, so each issue code gets its own wording here.
 *
 * `raw` is the data the schema was run on, and `prefix` its path in the file (transforms are
 * validated on their own, below `columns.<name>.deidentified`).
 */
export function schemaProblems(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  raw: unknown,
  locate: Locator,
  prefix: YamlPath = [],
): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  for (const issue of issues) {
    const relative = issue.path.map(segment);
    const path = [...prefix, ...relative];
    const value = valueAt(raw, relative);
    const label = pathLabel(path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeys(schema, relative);
        for (const key of issue.keys) {
          out.push(
            problem('error', locate([...path, key], 'key'), 'unknown-key', `unknown key "${key}" in ${label}`, suggestionFix(key, known, 'known keys')),
          );
        }
        break;
      }
      case 'invalid_type': {
        const expected = expectedLabel(issue.expected);
        if (value === undefined) {
          const parent = path.slice(0, -1);
          const key = String(path[path.length - 1] ?? '');
          out.push(
            problem('error', locate(parent, 'key'), 'missing-key', `missing required key "${key}" in ${pathLabel(parent)}`, `add ${key}: <${expected}>`),
          );
        } else {
          // YAML reads `1`, `true` and `1.0` as numbers and booleans; categories and names are text.
          const quote = issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean');
          const fix = quote ? `quote it: "${String(value)}"` : `write ${expected} for ${label}`;
          out.push(problem('error', locate(path, 'value'), 'wrong-type', `${label} must be ${expected}, got ${describe(value)}`, fix));
        }
        break;
      }
      case 'invalid_value': {
        const allowed = issue.values.map(String);
        out.push(
          problem('error', locate(path, 'value'), 'invalid-value', `${label} ${describe(value)} is not an allowed value`, suggestionFix(String(value), allowed, 'allowed values')),
        );
        break;
      }
      case 'too_small':
      case 'too_big': {
        out.push(problem('error', locate(path, 'value'), 'out-of-range', rangeMessage(issue, label, value), rangeFix(issue, path[path.length - 1])));
        break;
      }
      case 'invalid_format': {
        out.push(problem('error', locate(path, 'value'), 'invalid-name', `${label} ${describe(value)} is not a valid name`, `use ${issue.message}`));
        break;
      }
      case 'invalid_key': {
        const key = String(path[path.length - 1] ?? '');
        const rule = issue.issues[0]?.message ?? 'a valid name';
        out.push(
          problem('error', locate(path, 'key'), 'invalid-name', `${pathLabel(path.slice(0, -1))} key "${key}" is not a valid name`, `rename it with ${rule}`),
        );
        break;
      }
      case 'custom': {
        const fix = typeof issue.params?.['fix'] === 'string' ? issue.params['fix'] : 'correct the value';
        out.push(problem('error', locate(path, 'value'), 'invalid-value', `${label} ${issue.message}`, fix));
        break;
      }
      case 'invalid_union': {
        // A value that may take several shapes (aggregate measures: a map of bounds, or a bare
        // list that a cross-check explains): report the branch whose shape the value has, with
        // that branch's own problems, instead of zod's "Invalid input".
        const branch = issue.errors.find((errors) => !errors.some((e) => e.code === 'invalid_type' && e.path.length === 0));
        if (branch) {
          // Branch issues are relative to the union's value, so its path is their prefix.
          out.push(...schemaProblems(branch, schema, value, locate, path));
          break;
        }
        out.push(problem('error', locate(path, 'value'), 'invalid-value', `${label}: ${issue.message}`, `correct ${label}`));
        break;
      }
      // Not produced by these schemas; zod's own message is the best available.
      case 'invalid_element':
      case 'not_multiple_of':
        out.push(problem('error', locate(path, 'value'), 'invalid-value', `${label}: ${issue.message}`, `correct ${label}`));
    }
  }
  return out;
}

/** `zones.aggregate.dimensions[1]`; the root is "the file". */
export function pathLabel(path: YamlPath): string {
  if (path.length === 0) return 'the file';
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

/** A value as a message shows it: text quoted, lists and mappings by kind. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** Fixes that say why a bound exists, where the bare number would not tell the owner what to pick. */
const RANGE_HINTS: Readonly<Record<string, string>> = {
  min_count: 'use at least 2 (a cell of one subject is that person\'s record); 11 is the usual small-cell threshold',
  truncate: 'keep 1 to 5 ZIP digits; Safe Harbor allows 3 (with zip3: true)',
  top_code: 'use 90 (Safe Harbor reports ages over 89 as 90 or older)',
};

function expectedLabel(expected: string): string {
  switch (expected) {
    case 'string':
      return 'text';
    case 'int':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'a mapping';
    default:
      return expected;
  }
}

function rangeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, label: string, value: unknown): string {
  const small = issue.code === 'too_small';
  const bound = small ? issue.minimum : issue.maximum;
  if (issue.origin === 'array' || issue.origin === 'set') {
    return small ? `${label} must list at least ${items(bound)}` : `${label} may list at most ${items(bound)}`;
  }
  if (issue.origin === 'string') return small ? `${label} must not be empty` : `${label} is longer than ${String(bound)} characters`;
  const relation = small ? (issue.inclusive === false ? 'greater than' : 'at least') : issue.inclusive === false ? 'less than' : 'at most';
  return `${label} must be ${relation} ${String(bound)}, got ${describe(value)}`;
}

function items(bound: number | bigint): string {
  return Number(bound) === 1 ? '1 item' : `${String(bound)} items`;
}

function rangeFix(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, key: string | number | undefined): string {
  const small = issue.code === 'too_small';
  const hint = key === undefined ? undefined : RANGE_HINTS[String(key)];
  if (hint !== undefined) return hint;
  const limit = small ? issue.minimum : issue.maximum;
  const bound = String(limit);
  if (issue.origin === 'array' || issue.origin === 'set') return small ? `list at least ${items(limit)}` : `list at most ${items(limit)}`;
  if (issue.origin === 'string') return small ? 'write a non-empty value' : `shorten it to ${bound} characters`;
  if (small) return issue.inclusive === false ? `use a value above ${bound}` : `use a value of at least ${bound}`;
  return issue.inclusive === false ? `use a value below ${bound}` : `use a value of at most ${bound}`;
}

function segment(part: PropertyKey): string | number {
  return typeof part === 'number' ? part : String(part);
}

function valueAt(root: unknown, path: YamlPath): unknown {
  let node = root;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

/*
 * zod exposes each schema's definition (`_zod.def`) for tooling; the keys an object schema knows
 * feed the "did you mean" of an unknown key. Only the wrappers these schemas use are unwrapped.
 */
interface SchemaDef {
  readonly type: string;
  readonly innerType?: SchemaLike;
  readonly in?: SchemaLike;
  readonly shape?: Readonly<Record<string, SchemaLike>>;
  readonly valueType?: SchemaLike;
  readonly element?: SchemaLike;
}
interface SchemaLike {
  readonly _zod: { readonly def: SchemaDef };
}

function unwrap(schema: SchemaLike): SchemaLike {
  let current = schema;
  for (;;) {
    const def = current._zod.def;
    const inner = def.type === 'pipe' ? def.in : def.innerType;
    if (inner === undefined) return current;
    current = inner;
  }
}

function knownKeys(schema: z.ZodType, path: YamlPath): string[] {
  let current: SchemaLike | undefined = unwrap(schema as unknown as SchemaLike);
  for (const part of path) {
    const def: SchemaDef = current._zod.def;
    const next: SchemaLike | undefined =
      def.type === 'object' ? def.shape?.[String(part)] : def.type === 'record' ? def.valueType : def.type === 'array' ? def.element : undefined;
    if (next === undefined) return [];
    current = unwrap(next);
  }
  return Object.keys(current._zod.def.shape ?? {});
}
