import { AirlockError } from '@airlock/core';
import { deepFreeze } from './freeze.ts';
import type { Policy } from './model.ts';

/** The stored form's version; bump it with a converter when the model changes shape. */
// 2: aggregate measures carry bounds; aggregate privacy settings and contribution bounds.
const FORMAT = 2;

/** A policy as JSON-able data for storage (the catalog keeps it beside the YAML it came from). */
export interface SerializedPolicy {
  readonly format: typeof FORMAT;
  readonly policy: unknown;
}

/**
 * The stored form of a policy. The model is plain data, so this is a JSON copy; members that are
 * `undefined` (optional settings left out) are omitted, and read back as undefined.
 */
export function serializePolicy(policy: Policy): SerializedPolicy {
  return { format: FORMAT, policy: JSON.parse(JSON.stringify(policy)) as unknown };
}

/**
 * Restores a policy from {@link serializePolicy}'s output, or from that output as JSON text, and
 * freezes it. The policy was validated when it was applied; this checks only that the data is a
 * stored policy, and throws `POLICY_INVALID` otherwise.
 */
export function deserializePolicy(stored: unknown): Policy {
  const data: unknown = typeof stored === 'string' ? parseJson(stored) : stored;
  if (!isRecord(data) || data['format'] !== FORMAT || !isRecord(data['policy'])) {
    throw new AirlockError('POLICY_INVALID', `stored policy is not in format ${FORMAT}; re-apply the policy files with \`airlock policy apply\``);
  }
  const policy = structuredClone(data['policy']);
  const source = policy['source'];
  const shapeOk =
    isRecord(source) &&
    typeof source['file'] === 'string' &&
    ((policy['kind'] === 'dataset' && typeof policy['dataset'] === 'string' && Array.isArray(policy['columns']) && isRecord(policy['zones']) && isRecord(policy['training'])) ||
      (policy['kind'] === 'roles' && Array.isArray(policy['roles'])));
  if (!shapeOk) {
    throw new AirlockError('POLICY_INVALID', 'stored policy is missing its kind, source or body; re-apply the policy files with `airlock policy apply`');
  }
  return deepFreeze(policy as unknown as Policy);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new AirlockError('POLICY_INVALID', 'stored policy is not valid JSON; re-apply the policy files with `airlock policy apply`', { cause });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
