import { sha256Hex } from '@airlock/core';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicies } from './load-policies.ts';
import { formatProblem } from './problem.ts';
import { CLINIC_LINES, POLICIES_DIR, clinicText, errorsOf, readPolicyFile, warningsOf } from './test-fixtures.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-policy-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes files under a fresh folder in the temp dir and returns the folder. */
async function folder(name: string, files: Readonly<Record<string, string>>): Promise<string> {
  const path = join(dir, name);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(path, file, '..'), { recursive: true });
    await writeFile(join(path, file), text);
  }
  await mkdir(path, { recursive: true });
  return path;
}

describe('loadPolicies', () => {
  it('loads the test policies folder with no errors', async () => {
    const result = await loadPolicies([POLICIES_DIR]);
    expect(errorsOf(result.problems)).toEqual([]);
    expect(warningsOf(result.problems)).toHaveLength(4);
    expect(result.policies.map((p) => (p.kind === 'dataset' ? p.dataset : p.kind))).toEqual(['roles', 'admissions', 'adult']);
    expect([...(result.set?.datasets.keys() ?? [])]).toEqual(['admissions', 'adult']);
    expect(result.set?.roles.roles.map((r) => r.name)).toEqual(['steward', 'analyst', 'ml', 'public']);
  });

  it('records each file with the sha256 of its bytes', async () => {
    const result = await loadPolicies([POLICIES_DIR]);
    const admissions = result.set?.datasets.get('admissions');
    const file = join(POLICIES_DIR, 'admissions.yaml');
    expect(admissions?.source).toEqual({ file, sha256: sha256Hex(await readFile(file)), content: readPolicyFile('admissions.yaml') });
  });

  it('finds roles.yaml next to a dataset file given alone, and returns it too', async () => {
    const result = await loadPolicies([join(POLICIES_DIR, 'adult.yaml')]);
    expect(errorsOf(result.problems)).toEqual([]);
    expect(result.policies.map((p) => p.kind)).toEqual(['roles', 'dataset']);
    expect([...(result.set?.datasets.keys() ?? [])]).toEqual(['adult']);
  });

  it('accepts files and folders together, and .yml files, without loading a file twice', async () => {
    const path = await folder('mixed', { 'roles.yml': readPolicyFile('roles.yaml'), 'clinic.yml': clinicText() });
    const result = await loadPolicies([path, join(path, 'clinic.yml')]);
    expect(result.problems).toEqual([]);
    expect(result.policies).toHaveLength(2);
    expect(result.set?.datasets.get('clinic')?.source.file).toBe(join(path, 'clinic.yml'));
  });

  it('reports a missing roles policy with a fix', async () => {
    const path = await folder('no-roles', { 'clinic.yaml': clinicText() });
    const result = await loadPolicies([path]);
    expect(result.set).toBeUndefined();
    expect(result.problems.map(formatProblem)).toEqual([
      `${join(path, 'clinic.yaml')}:1:1: error: no roles policy: roles.yaml is neither among the given paths nor next to ${join(path, 'clinic.yaml')}. Fix: pass the roles file too (e.g. validate the whole policies/ folder), or create roles.yaml next to the dataset files`,
    ]);
  });

  it('checks dataset roles against the roles policy', async () => {
    const path = await folder('roles-check', {
      'roles.yaml': 'roles:\n  steward: { steward: true }\n  analyst: {}\n',
      'clinic.yaml': clinicText(),
    });
    const result = await loadPolicies([path]);
    expect(result.set).toBeUndefined();
    expect(errorsOf(result.problems).map((p) => `${p.rule} ${p.line}:${p.column}`)).toEqual(['unknown-role 14:33']);
    // The files without errors are still returned, so the CLI can say which were fine.
    expect(result.policies.map((p) => p.kind)).toEqual(['roles']);
  });

  it('reports a missing path and an empty folder', async () => {
    const empty = await folder('empty', {});
    const missing = join(dir, 'does-not-exist');
    const result = await loadPolicies([missing, empty]);
    expect(result.set).toBeUndefined();
    expect(result.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.rule}`).sort()).toEqual([`${empty}:1:1 no-policies`, `${missing}:1:1 file-not-found`].sort());
  });

  it('reports two files defining one dataset', async () => {
    const path = await folder('duplicate', {
      'roles.yaml': readPolicyFile('roles.yaml'),
      'a/clinic.yaml': clinicText(),
      'b/clinic.yaml': `# copy\n${clinicText()}`,
    });
    const result = await loadPolicies([join(path, 'roles.yaml'), join(path, 'a'), join(path, 'b')]);
    expect(result.set).toBeUndefined();
    expect(errorsOf(result.problems).map(formatProblem)).toEqual([
      `${join(path, 'b', 'clinic.yaml')}:2:1: error: dataset "clinic" is also defined in ${join(path, 'a', 'clinic.yaml')}. Fix: keep one file per dataset`,
    ]);
  });

  it('reports two roles policies', async () => {
    const path = await folder('two-roles', { 'roles.yaml': readPolicyFile('roles.yaml'), 'roles.yml': readPolicyFile('roles.yaml') });
    const result = await loadPolicies([path]);
    expect(errorsOf(result.problems).map((p) => `${p.file} ${p.rule}`)).toEqual([`${join(path, 'roles.yml')} duplicate-roles`]);
  });

  it('leaves the set undefined when any file has an error, but keeps its warnings', async () => {
    const broken = CLINIC_LINES.length; // the last line
    const path = await folder('broken', {
      'roles.yaml': readPolicyFile('roles.yaml'),
      'clinic.yaml': clinicText({ [broken]: '  approved_zones: [synthetik]' }),
      'admissions.yaml': readPolicyFile('admissions.yaml'),
    });
    const result = await loadPolicies([path]);
    expect(result.set).toBeUndefined();
    expect(errorsOf(result.problems).map((p) => `${p.rule} ${p.line}:${p.column}`)).toEqual([`invalid-value ${broken}:20`]);
    expect(warningsOf(result.problems)).toHaveLength(4);
    expect(result.policies.map((p) => (p.kind === 'dataset' ? p.dataset : 'roles'))).toEqual(['roles', 'admissions']);
  });
});
