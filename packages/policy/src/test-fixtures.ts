import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DatasetPolicy, PolicyProblem, PolicySet, RolesPolicy } from './model.ts';
import { parsePolicyText } from './parse-policy.ts';
import { policySetFromModels } from './policy-set.ts';

/*
 * Shared by the package's tests (not exported from index.ts): the test policy files and a small
 * dataset policy whose lines the broken-policy tables edit one at a time.
 */

/**
 * The tests' own policy files (packages/testing/policies), never the repository's policies/,
 * which data owners edit. Read by path: @airlock/testing depends on this package.
 */
export const POLICIES_DIR = fileURLToPath(new URL('../../testing/policies/', import.meta.url));

/**
 * The data owners' guide in the repository's policies/ folder, whose examples the tests validate:
 * documentation, so the one file of that folder a test reads.
 */
export const POLICIES_README = fileURLToPath(new URL('../../../policies/README.md', import.meta.url));

export function readPolicyFile(name: string): string {
  return readFileSync(`${POLICIES_DIR}${name}`, 'utf8');
}

export function realRoles(): RolesPolicy {
  const result = parsePolicyText('policies/roles.yaml', readPolicyFile('roles.yaml'));
  if (result.policy?.kind !== 'roles') throw new Error(`roles.yaml does not parse: ${JSON.stringify(result.problems)}`);
  return result.policy;
}

export function realDataset(name: 'admissions' | 'adult'): DatasetPolicy {
  const result = parsePolicyText(`policies/${name}.yaml`, readPolicyFile(`${name}.yaml`), realRoles());
  if (result.policy?.kind !== 'dataset') throw new Error(`${name}.yaml does not parse: ${JSON.stringify(result.problems)}`);
  return result.policy;
}

/** The test roles, admissions and adult policies as a set. */
export function realSet(): PolicySet {
  return policySetFromModels(realRoles(), [realDataset('admissions'), realDataset('adult')]);
}

/** A small valid dataset policy; line numbers matter to the tests that edit it. */
export const CLINIC_LINES: readonly string[] = [
  /* 1 */ 'dataset: clinic',
  /* 2 */ 'subject: mrn',
  /* 3 */ 'columns:',
  /* 4 */ '  mrn: { type: string, class: identifier, deidentified: { surrogate: { domain: patient } } }',
  /* 5 */ '  name: { type: string, class: identifier, deidentified: drop }',
  /* 6 */ '  birth_date: { type: date, class: quasi_identifier, deidentified: { age_at: seen_at, top_code: 90 } }',
  /* 7 */ '  seen_at: { type: date, class: event_date, deidentified: { generalize: year } }',
  /* 8 */ '  ward: { type: string, class: attribute }',
  /* 9 */ '  cost: { type: number, class: measure }',
  /* 10 */ 'zones:',
  /* 11 */ '  restricted: { roles: [steward] }',
  /* 12 */ '  deidentified: { roles: [analyst] }',
  /* 13 */ '  aggregate: { roles: [analyst], min_count: 11, finest_date_grain: week, dimensions: [ward], measures: { cost: { min: 0, max: 1000 } } }',
  /* 14 */ '  synthetic: { roles: [analyst, public] }',
  /* 15 */ 'training:',
  /* 16 */ '  approved_zones: [synthetic]',
];

/** The clinic policy with some lines replaced (1-based line number → new text). */
export function clinicText(edits: Readonly<Record<number, string>> = {}): string {
  return `${CLINIC_LINES.map((line, i) => edits[i + 1] ?? line).join('\n')}\n`;
}

export function parseClinic(edits: Readonly<Record<number, string>> = {}, roles: RolesPolicy | undefined = realRoles()) {
  return parsePolicyText('policies/clinic.yaml', clinicText(edits), roles);
}

export function errorsOf(problems: readonly PolicyProblem[]): PolicyProblem[] {
  return problems.filter((p) => p.severity === 'error');
}

export function warningsOf(problems: readonly PolicyProblem[]): PolicyProblem[] {
  return problems.filter((p) => p.severity === 'warning');
}
