import { loadPolicySet } from '@airlock/catalog';
import { AirlockError } from '@airlock/core';
import type { DatasetPolicy } from '@airlock/policy';
import type { AirlockDatabase } from '@airlock/db';

/** The applied (stored) policy of a dataset, with its version. */
export async function appliedPolicy(database: AirlockDatabase, dataset: string): Promise<{ policy: DatasetPolicy; version: number }> {
  const { set, versions } = await loadPolicySet(database);
  const policy = set.datasets.get(dataset);
  if (!policy) {
    const known = [...set.datasets.keys()].join(', ') || '(none)';
    throw new AirlockError(
      'DATASET_NOT_FOUND',
      `No applied policy for dataset "${dataset}" (applied: ${known}). Write policies/${dataset}.yaml and run \`airlock policy apply\`.`,
    );
  }
  return { policy, version: versions.get(dataset)!.version };
}
