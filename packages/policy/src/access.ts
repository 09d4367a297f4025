import { ZONES, type Zone } from '@airlock/core';
import type { DatasetPolicy, PolicySet, ZoneAccess } from './model.ts';

/**
 * A decision. Deny reasons go to logs and audit events; callers show them to the requester only
 * where that leaks nothing (they never list which roles would have been allowed).
 */
export type Decision = { readonly kind: 'allow' } | Deny;

/** A refusal, with a reason for logs and audit events. */
export interface Deny {
  readonly kind: 'deny';
  readonly reason: string;
}

/** A dataset the caller can see, with the zones it may read, in {@link ZONES} order. */
export interface VisibleDataset {
  readonly dataset: string;
  readonly zones: readonly Zone[];
}

/**
 * The caller's roles that roles.yaml defines. A role the roles policy does not define grants
 * nothing, even if a dataset names it: a token cannot invent a role.
 */
function definedRoles(set: PolicySet, roles: readonly string[]): Set<string> {
  const defined = new Set(set.roles.roles.map((role) => role.name));
  return new Set(roles.filter((role) => defined.has(role)));
}

/** True when one of the caller's roles is marked `steward: true` in roles.yaml. */
export function isSteward(set: PolicySet, roles: readonly string[]): boolean {
  const held = new Set(roles);
  return set.roles.roles.some((role) => role.steward && held.has(role.name));
}

/** The zone's access rule, or undefined when the dataset does not offer the zone. */
export function zoneAccess(policy: DatasetPolicy, zone: Zone): ZoneAccess | undefined {
  return policy.zones[zone];
}

/**
 * May a caller with `roles` read `zone` of `dataset`? Allowed when the dataset offers the zone and
 * one of the caller's defined roles is listed for it. The restricted zone also requires that role
 * to be a steward: validation already refuses non-steward roles there, and this holds even for a
 * policy set built in code.
 */
export function canRead(set: PolicySet, roles: readonly string[], dataset: string, zone: Zone): Decision {
  const policy = set.datasets.get(dataset);
  if (policy === undefined) return deny(`no dataset "${dataset}"`);
  return canReadPolicy(set, roles, policy, zone);
}

/** {@link canRead} for a dataset policy already looked up. */
export function canReadPolicy(set: PolicySet, roles: readonly string[], policy: DatasetPolicy, zone: Zone): Decision {
  const access = zoneAccess(policy, zone);
  if (access === undefined) return deny(`dataset "${policy.dataset}" has no ${zone} zone`);
  const held = definedRoles(set, roles);
  const stewards = new Set(set.roles.roles.filter((role) => role.steward).map((role) => role.name));
  const granted = access.roles.some((role) => held.has(role) && (zone !== 'restricted' || stewards.has(role)));
  return granted ? { kind: 'allow' } : deny(`the caller's roles may not read the ${zone} zone of dataset "${policy.dataset}"`);
}

/** Datasets where the caller may read at least one zone, by name, with those zones. */
export function visibleDatasets(set: PolicySet, roles: readonly string[]): readonly VisibleDataset[] {
  const out: VisibleDataset[] = [];
  for (const policy of [...set.datasets.values()].sort((a, b) => a.dataset.localeCompare(b.dataset))) {
    const zones = ZONES.filter((zone) => canReadPolicy(set, roles, policy, zone).kind === 'allow');
    if (zones.length > 0) out.push(Object.freeze({ dataset: policy.dataset, zones: Object.freeze(zones) }));
  }
  return Object.freeze(out);
}

/** Builds a {@link Deny}. */
export function deny(reason: string): Deny {
  return { kind: 'deny', reason };
}
