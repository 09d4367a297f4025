import { appendInTransaction } from '@airlock/audit';
import { AirlockError, type PolicyVersion, type PolicyVersions } from '@airlock/core';
import type { AirlockDatabase, BulkSession } from '@airlock/db';
import { deserializePolicy, serializePolicy, type DatasetPolicy, type Policy, type PolicySet, type RolesPolicy } from '@airlock/policy';

export type StoreOutcome =
  | { kind: 'stored'; name: string; version: number; sha256: string }
  | { kind: 'unchanged'; name: string; version: number; sha256: string };

/** The name a policy is stored under: its dataset, or `roles`. */
export function policyName(policy: Policy): string {
  return policy.kind === 'dataset' ? policy.dataset : 'roles';
}

/**
 * Store a policy as a new version when its content changed, with its sha256, and write a
 * `policy.apply` audit event, in the caller's transaction: a version is stored if and only if its
 * audit event is (and whatever else the caller does in it, such as reshaping the dataset's
 * tables, commits with them). The head is locked until the transaction ends. Re-applying identical
 * content is a no-op (no version, no event). `previous` is the version it replaces.
 */
export async function storePolicyIn(
  session: BulkSession,
  policy: Policy,
  actor: { actor: string; roles: readonly string[] },
): Promise<StoreOutcome & { previous: Policy | undefined }> {
  const name = policyName(policy);
  const sha256 = policy.source.sha256;
  await session.setRole('catalog');
  const [head] = await session.query<{ version: number; sha256: string; model: string }>(
    `select h.version, h.sha256, p.model from catalog.policy_heads h
       join catalog.policies p on p.name = h.name and p.version = h.version
      where h.name = $1 for update of h`,
    [name],
  );
  const previous = head ? deserializePolicy(head.model) : undefined;
  if (head && head.sha256 === sha256) return { kind: 'unchanged', name, version: head.version, sha256, previous };
  const version = (head?.version ?? 0) + 1;
  await session.query(
    `insert into catalog.policies (name, kind, version, sha256, source_path, content, model, applied_by) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [name, policy.kind, version, sha256, policy.source.file, policy.source.content, JSON.stringify(serializePolicy(policy)), actor.actor],
  );
  if (head) {
    await session.query('update catalog.policy_heads set version = $2, sha256 = $3 where name = $1', [name, version, sha256]);
  } else {
    await session.query('insert into catalog.policy_heads (name, kind, version, sha256) values ($1, $2, $3, $4)', [name, policy.kind, version, sha256]);
  }
  await session.setRole('audit');
  await appendInTransaction(
    session,
    {
      type: 'policy.apply',
      actor: actor.actor,
      roles: actor.roles,
      action: 'policy apply',
      dataset: policy.kind === 'dataset' ? policy.dataset : null,
      outcome: 'allowed',
      details: { name, version, sha256, previousVersion: head?.version ?? null, file: policy.source.file },
    },
    new Date(),
  );
  return { kind: 'stored', name, version, sha256, previous };
}

/**
 * Store each policy (see {@link storePolicyIn}), one transaction each, touching no dataset table:
 * for a database whose datasets have no tables yet (test fixtures). Applying a policy to loaded
 * data goes through `applyPolicies` of `@airlock/workflows`, which reshapes and re-derives them.
 */
export async function storePolicyVersions(
  database: AirlockDatabase,
  policies: readonly Policy[],
  actor: { actor: string; roles: readonly string[] },
): Promise<StoreOutcome[]> {
  const outcomes: StoreOutcome[] = [];
  for (const policy of policies) {
    const { previous: _previous, ...outcome } = await database.bulk('catalog', (session) => storePolicyIn(session, policy, actor));
    outcomes.push(outcome);
  }
  return outcomes;
}

export interface AppliedPolicy {
  policy: Policy;
  version: number;
  sha256: string;
}

/** The current version of every applied policy. */
export async function loadAppliedPolicies(database: AirlockDatabase): Promise<AppliedPolicy[]> {
  const rows = await database.withZone('catalog', (trx) =>
    trx
      .selectFrom('catalog.policy_heads as h')
      .innerJoin('catalog.policies as p', (join) => join.onRef('p.name', '=', 'h.name').onRef('p.version', '=', 'h.version'))
      .select(['p.model', 'p.version', 'p.sha256'])
      .orderBy('p.name')
      .execute(),
  );
  return rows.map((row) => ({ policy: deserializePolicy(row.model), version: row.version, sha256: row.sha256 }));
}

/**
 * The applied policies as a set the decision functions take, with each dataset's version.
 * Throws POLICY_NOT_FOUND when no roles policy has been applied yet.
 */
export async function loadPolicySet(
  database: AirlockDatabase,
): Promise<{ set: PolicySet; versions: PolicyVersions }> {
  const applied = await loadAppliedPolicies(database);
  const roles = applied.find((a) => a.policy.kind === 'roles')?.policy as RolesPolicy | undefined;
  if (!roles) {
    throw new AirlockError('POLICY_NOT_FOUND', 'No roles policy has been applied. Run `airlock policy apply policies/`.');
  }
  const datasets = new Map<string, DatasetPolicy>();
  const versions = new Map<string, PolicyVersion>();
  for (const entry of applied) {
    versions.set(policyName(entry.policy), { version: entry.version, sha256: entry.sha256 });
    if (entry.policy.kind === 'dataset') datasets.set(entry.policy.dataset, entry.policy);
  }
  return { set: { roles, datasets }, versions };
}
