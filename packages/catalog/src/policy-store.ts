import { appendInTransaction } from '@airlock/audit';
import { AirlockError, type PolicyVersion, type PolicyVersions } from '@airlock/core';
import { sqlRunner, type AirlockDatabase } from '@airlock/db';
import { deserializePolicy, serializePolicy, type DatasetPolicy, type Policy, type PolicySet, type RolesPolicy } from '@airlock/policy';

export type ApplyOutcome =
  | { kind: 'stored'; name: string; version: number; sha256: string }
  | { kind: 'unchanged'; name: string; version: number; sha256: string };

/** The name a policy is stored under: its dataset, or `roles`. */
export function policyName(policy: Policy): string {
  return policy.kind === 'dataset' ? policy.dataset : 'roles';
}

/**
 * Store each policy as a new version when its content changed, with its sha256, and write a
 * `policy.apply` audit event in the same transaction: a version is stored if and only if its
 * audit event is. Re-applying identical content is a no-op (no version, no event).
 */
export async function applyPolicies(
  database: AirlockDatabase,
  policies: readonly Policy[],
  actor: { actor: string; roles: readonly string[] },
): Promise<ApplyOutcome[]> {
  const outcomes: ApplyOutcome[] = [];
  for (const policy of policies) {
    const name = policyName(policy);
    const sha256 = policy.source.sha256;
    const outcome = await database.transact(async (step): Promise<ApplyOutcome> => {
      const stored = await step('catalog', async (trx): Promise<ApplyOutcome | { kind: 'new'; version: number; previousVersion: number | null }> => {
        const head = await trx
          .selectFrom('catalog.policy_heads')
          .selectAll()
          .where('name', '=', name)
          .forUpdate()
          .executeTakeFirst();
        if (head && head.sha256 === sha256) return { kind: 'unchanged', name, version: head.version, sha256 };
        const version = (head?.version ?? 0) + 1;
        await trx
          .insertInto('catalog.policies')
          .values({
            name,
            kind: policy.kind,
            version,
            sha256,
            source_path: policy.source.file,
            content: policy.source.content,
            model: JSON.stringify(serializePolicy(policy)),
            applied_by: actor.actor,
          })
          .execute();
        if (head) {
          await trx.updateTable('catalog.policy_heads').set({ version, sha256 }).where('name', '=', name).execute();
        } else {
          await trx.insertInto('catalog.policy_heads').values({ name, kind: policy.kind, version, sha256 }).execute();
        }
        return { kind: 'new', version, previousVersion: head?.version ?? null };
      });
      if (stored.kind !== 'new') return stored;
      const { version, previousVersion } = stored;
      await step('audit', (trx) =>
        appendInTransaction(
          sqlRunner(trx),
          {
            type: 'policy.apply',
            actor: actor.actor,
            roles: actor.roles,
            action: 'policy apply',
            dataset: policy.kind === 'dataset' ? policy.dataset : null,
            outcome: 'allowed',
            details: { name, version, sha256, previousVersion, file: policy.source.file },
          },
          new Date(),
        ),
      );
      return { kind: 'stored', name, version, sha256 };
    });
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
