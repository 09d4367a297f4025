import { AirlockError } from '@airlock/core';

/**
 * A database error from reading a zone, as the caller should see it: a table not made yet is a
 * 404; a table that lacks a column the applied policy names (42703) or a column the zone role may
 * not read (42501) means the zone and the policy disagree, a 409 naming the fix, never a 500.
 * `airlock policy apply` reshapes and re-derives in the transaction that stores a version, so
 * this is only reached by tables changed some other way. Other errors are returned as they are.
 */
export function zoneReadError(error: unknown, zone: string, dataset: string): unknown {
  const code = (error as { code?: string }).code;
  if (code === '42P01') return new AirlockError('NOT_FOUND', `No ${zone === 'aggregate' ? '' : `${zone} `}data for ${dataset} yet.`);
  if (code === '42703' || code === '42501') {
    return new AirlockError(
      'CONFLICT',
      `The ${zone} zone of ${dataset} does not match its applied policy. A steward brings it in line with \`airlock policy apply\` or \`airlock rebuild ${dataset}\`${zone === 'synthetic' ? ` (\`airlock synth ${dataset}\` for the synthetic zone)` : ''}.`,
      { cause: error },
    );
  }
  return error;
}
