import { AirlockError } from '@airlock/core';
import type { AirlockDatabase, BulkSession } from '@airlock/db';
import type { DatasetPolicy } from '@airlock/policy';

/**
 * `catalog.datasets` records which policy version and key version the deidentified zone of a
 * dataset was derived with. Ingest refuses to mix derivations: after a policy change or a key
 * rotation the zone must be rebuilt first, so every deidentified row follows one policy.
 */
export async function recordDerivation(
  database: AirlockDatabase,
  policy: DatasetPolicy,
  policyVersion: number,
  keyVersion: number,
  reason: 'ingest' | 'rebuild',
  session?: BulkSession,
): Promise<void> {
  if (session) return recordDerivationIn(session, policy, policyVersion, keyVersion, reason);
  return database.bulk('catalog', (s) => recordDerivationIn(s, policy, policyVersion, keyVersion, reason));
}

/** {@link recordDerivation} inside the caller's transaction. */
export async function recordDerivationIn(
  session: BulkSession,
  policy: DatasetPolicy,
  policyVersion: number,
  keyVersion: number,
  reason: 'ingest' | 'rebuild',
): Promise<void> {
  const run = async (s: BulkSession): Promise<void> => {
    await s.setRole('catalog');
    const [current] = await s.query<{ policy_sha256: string; key_version: number; policy_version: number }>(
      `select policy_sha256, key_version, policy_version from catalog.datasets where name = $1`,
      [policy.dataset],
    );
    if (current && reason === 'ingest' && (current.policy_sha256 !== policy.source.sha256 || Number(current.key_version) !== keyVersion)) {
      throw new AirlockError(
        'CONFLICT',
        `The deidentified zone of "${policy.dataset}" was derived with policy version ${current.policy_version} and key version ${current.key_version}; ` +
          `the current ones are ${policyVersion} and ${keyVersion}. Run \`airlock rebuild ${policy.dataset}\` before loading more data.`,
      );
    }
    await s.query(
      `insert into catalog.datasets (name, policy_version, policy_sha256, key_version, columns) values ($1, $2, $3, $4, $5::jsonb)
       on conflict (name) do update set policy_version = excluded.policy_version, policy_sha256 = excluded.policy_sha256,
         key_version = excluded.key_version, columns = excluded.columns, updated_at = now()`,
      [policy.dataset, policyVersion, policy.source.sha256, keyVersion, JSON.stringify(policy.columns.map((c) => c.name))],
    );
  };
  return run(session);
}
