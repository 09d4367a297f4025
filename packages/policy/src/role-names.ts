import { parse } from 'yaml';

/**
 * The role names a `roles.yaml` text defines (the keys of its `roles:` mapping), or undefined when
 * the text is not such a file. A light read for commands that only check a name (`airlock token`):
 * it loads the YAML parser alone, not the validating schema; `loadPolicies` is the full check.
 */
export function roleNamesIn(text: string): string[] | undefined {
  let document: unknown;
  try {
    document = parse(text);
  } catch {
    return undefined;
  }
  const roles = (document as { roles?: unknown } | null)?.roles;
  if (roles === null || typeof roles !== 'object' || Array.isArray(roles)) return undefined;
  return Object.keys(roles);
}
