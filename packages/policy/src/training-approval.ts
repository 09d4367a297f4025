import type { Zone } from '@airlock/core';
import { canReadPolicy, deny, type Decision } from './access.ts';
import type { PolicySet } from './model.ts';

/**
 * May a caller with `roles` train on `zone` of `dataset`? The zone must be one the policy lists
 * under `training.approved_zones` (so `restricted` only when listed explicitly) and declares; the
 * caller needs one of `training.roles` when the policy names them, otherwise a role that can read
 * the zone. Roles roles.yaml does not define never count.
 */
export function trainingApproved(set: PolicySet, roles: readonly string[], dataset: string, zone: Zone): Decision {
  const policy = set.datasets.get(dataset);
  if (policy === undefined) return deny(`no dataset "${dataset}"`);
  const { training } = policy;
  if (!training.approvedZones.includes(zone)) return deny(`the ${zone} zone of dataset "${dataset}" is not approved for training`);
  if (policy.zones[zone] === undefined) return deny(`dataset "${dataset}" has no ${zone} zone`);
  if (training.roles === undefined) {
    const read = canReadPolicy(set, roles, policy, zone);
    return read.kind === 'allow' ? read : deny(`the caller's roles may not train on the ${zone} zone of dataset "${dataset}"`);
  }
  const defined = new Set(set.roles.roles.map((role) => role.name));
  const granted = roles.some((role) => defined.has(role) && training.roles?.includes(role) === true);
  return granted ? { kind: 'allow' } : deny(`the caller's roles may not train on dataset "${dataset}"`);
}
