import type { PolicyVersions } from '@airlock/core';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicySet, storePolicyVersions } from '@airlock/catalog';
import type { AirlockDatabase } from '@airlock/db';
import { loadPolicies, type DatasetPolicy, type PolicySet } from '@airlock/policy';
import { ensureTestAuditKey } from './databases.ts';

/** The repository root and its folders, for tests. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/**
 * The tests' own policies (packages/testing/policies: roles, admissions, adult), never the
 * repository's policies/ folder, which data owners edit: adding a policy there breaks no test.
 */
export const POLICIES_DIR = path.join(REPO_ROOT, 'packages', 'testing', 'policies');
/** UCI Adult (public, CC BY 4.0), kept in the repository for tests and benchmarks; see packages/testing/data/README.md. */
export const ADULT_CSV = path.join(REPO_ROOT, 'packages', 'testing', 'data', 'adult.csv');

export const TEST_ACTOR = { actor: 'test:runner', roles: ['steward'] } as const;

/** Apply the test policies ({@link POLICIES_DIR}) to a database and return the stored set with versions. */
export async function applyRepoPolicies(
  database: AirlockDatabase,
): Promise<{ set: PolicySet; versions: PolicyVersions }> {
  const { policies, problems } = await loadPolicies([POLICIES_DIR]);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new Error(`${POLICIES_DIR} has errors: ${errors.map((e) => e.message).join('; ')}`);
  ensureTestAuditKey(); // applying is audited; the database may have been opened directly
  await storePolicyVersions(database, policies, TEST_ACTOR);
  return loadPolicySet(database);
}

/** One dataset policy of the test policies ({@link POLICIES_DIR}; no database). */
export async function repoPolicy(dataset: string): Promise<DatasetPolicy> {
  const { set } = await loadPolicies([POLICIES_DIR]);
  const policy = set?.datasets.get(dataset);
  if (!policy) throw new Error(`${path.join(POLICIES_DIR, `${dataset}.yaml`)} did not load`);
  return policy;
}
