import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicies } from './load-policies.ts';
import { roleNamesIn } from './role-names.ts';
import { POLICIES_DIR } from './test-fixtures.ts';

describe('roleNamesIn', () => {
  it('reads the same role names as the full parse of roles.yaml', async () => {
    const { set } = await loadPolicies([POLICIES_DIR]);
    expect(roleNamesIn(readFileSync(path.join(POLICIES_DIR, 'roles.yaml'), 'utf8'))).toEqual(set!.roles.roles.map((r) => r.name));
  });

  it('is undefined for a text that is not a roles file', () => {
    expect(roleNamesIn('dataset: x\n')).toBeUndefined();
    expect(roleNamesIn('roles: [a, b]\n')).toBeUndefined();
    expect(roleNamesIn(': : :\n  - [')).toBeUndefined();
  });
});
