import { sha256Hex } from '@airlock/core';
import { basename } from 'node:path';
import { createCheckContext } from './check-context.ts';
import { toDatasetPolicy, toRolesPolicy } from './convert.ts';
import { crossCheck } from './cross-checks.ts';
import { deepFreeze } from './freeze.ts';
import type { DeidTransform, Policy, PolicyProblem, PolicySource, RolesPolicy } from './model.ts';
import { sortProblems } from './problem.ts';
import { safeHarborLints } from './safe-harbor.ts';
import { datasetFileSchema, rolesFileSchema } from './schema.ts';
import { parseTransform } from './transform.ts';
import { parseYamlSource, type Locator } from './yaml-source.ts';
import { schemaProblems } from './zod-problems.ts';

/** A parsed policy file: the frozen model when it has no errors, and every problem found. */
export interface ParseResult {
  readonly policy: Policy | undefined;
  readonly problems: readonly PolicyProblem[];
}

/** True for the roles file's name (`roles.yaml` or `roles.yml`); every other file is a dataset. */
export function isRolesFile(file: string): boolean {
  const name = basename(file);
  return name === 'roles.yaml' || name === 'roles.yml';
}

/**
 * Parses and validates one policy file's text. `file` is the path problems name, and decides the
 * kind: `roles.yaml` is the roles policy, anything else a dataset policy whose `dataset` must equal
 * the file name. Role names are checked only when `roles` is given. The source hash is of the
 * text's UTF-8 bytes.
 */
export function parsePolicyText(file: string, text: string, roles?: RolesPolicy): ParseResult {
  return parsePolicySource({ file, sha256: sha256Hex(text), content: text }, roles);
}

/** {@link parsePolicyText} for a source whose hash was taken over the file's bytes. */
export function parsePolicySource(source: PolicySource, roles?: RolesPolicy): ParseResult {
  const yaml = parseYamlSource(source.file, source.content);
  if (yaml.value === undefined) return done(undefined, yaml.problems);
  const result = isRolesFile(source.file) ? parseRoles(yaml.value, yaml.locate, source) : parseDataset(yaml.value, yaml.locate, source, roles);
  return done(result.policy, [...yaml.problems, ...result.problems]);
}

function parseRoles(value: unknown, locate: Locator, source: PolicySource): ParseResult {
  const parsed = rolesFileSchema.safeParse(value);
  if (!parsed.success) return { policy: undefined, problems: schemaProblems(parsed.error.issues, rolesFileSchema, value, locate) };
  return { policy: toRolesPolicy(parsed.data, source), problems: [] };
}

function parseDataset(value: unknown, locate: Locator, source: PolicySource, roles: RolesPolicy | undefined): ParseResult {
  const parsed = datasetFileSchema.safeParse(value);
  const problems: PolicyProblem[] = parsed.success ? [] : schemaProblems(parsed.error.issues, datasetFileSchema, value, locate);

  // Transforms are validated even when the rest of the file is not, so one run reports both.
  const transforms = new Map<string, DeidTransform>();
  for (const [name, column] of rawColumns(value)) {
    const raw = column !== null && typeof column === 'object' ? (column as Record<string, unknown>)['deidentified'] : undefined;
    const result = parseTransform(raw, ['columns', name, 'deidentified'], locate);
    problems.push(...result.problems);
    if (result.transform !== undefined) transforms.set(name, result.transform);
  }
  if (!parsed.success || problems.length > 0) return { policy: undefined, problems };

  const policy = toDatasetPolicy(parsed.data, transforms, locate, source);
  const ctx = createCheckContext(parsed.data, policy, locate, roles);
  return { policy, problems: [...crossCheck(ctx), ...safeHarborLints(ctx)] };
}

function rawColumns(value: unknown): [string, unknown][] {
  if (value === null || typeof value !== 'object') return [];
  const columns = (value as Record<string, unknown>)['columns'];
  if (columns === null || typeof columns !== 'object' || Array.isArray(columns)) return [];
  return Object.entries(columns);
}

function done(policy: Policy | undefined, problems: readonly PolicyProblem[]): ParseResult {
  const hasError = problems.some((p) => p.severity === 'error');
  return deepFreeze({ policy: hasError ? undefined : policy, problems: sortProblems(problems) });
}
