import { sha256Hex } from '@airlock/core';
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { DatasetPolicy, Policy, PolicyProblem, PolicySet, RolesPolicy } from './model.ts';
import { isRolesFile, parsePolicySource } from './parse-policy.ts';
import { policySetFromModels } from './policy-set.ts';
import { problem, sortProblems } from './problem.ts';

/** What {@link loadPolicies} found. */
export interface LoadResult {
  /** The policy set, or undefined when any file has an error. */
  readonly set: PolicySet | undefined;
  /** Every file that parsed without errors: the roles policy first, then datasets in path order. */
  readonly policies: Policy[];
  /** Errors and warnings of every file, sorted by file and line. */
  readonly problems: PolicyProblem[];
}

const POLICY_FILE = /\.ya?ml$/u;

/**
 * Reads policy files and folders (every `*.yaml` and `*.yml` directly in a folder), validates
 * them and builds the policy set. `roles.yaml` (or `roles.yml`) is the roles policy; when none is
 * among the paths, the one next to the dataset files is used, and is then returned in `policies`
 * too. Never throws for bad input: unreadable paths and missing files are problems.
 */
export async function loadPolicies(paths: readonly string[]): Promise<LoadResult> {
  const problems: PolicyProblem[] = [];
  const files = await expandPaths(paths, problems);
  if (files.length === 0 && problems.length === 0) {
    problems.push(atStart(paths[0] ?? '.', 'no-policies', `no policy files (*.yaml, *.yml) in ${paths.join(', ') || '(no paths)'}`, 'pass the policies folder, e.g. policies/'));
  }

  let rolesFiles = files.filter(isRolesFile);
  const datasetFiles = files.filter((file) => !isRolesFile(file));
  if (rolesFiles.length === 0 && datasetFiles.length > 0) rolesFiles = await rolesNextTo(datasetFiles);

  let roles: RolesPolicy | undefined;
  const [rolesFile, ...extraRoles] = rolesFiles;
  if (rolesFile === undefined) {
    const first = datasetFiles[0];
    if (first !== undefined) {
      problems.push(
        atStart(first, 'missing-roles', `no roles policy: roles.yaml is neither among the given paths nor next to ${first}`, 'pass the roles file too (e.g. validate the whole policies/ folder), or create roles.yaml next to the dataset files'),
      );
    }
  } else {
    for (const extra of extraRoles) {
      problems.push(atStart(extra, 'duplicate-roles', `a second roles policy (the first is ${rolesFile})`, 'keep one roles.yaml for the policies validated together'));
    }
    const result = await parseFile(rolesFile, undefined, problems);
    if (result?.kind === 'roles') roles = result;
  }

  const datasets: DatasetPolicy[] = [];
  const seen = new Map<string, string>();
  for (const file of datasetFiles) {
    const result = await parseFile(file, roles, problems);
    if (result?.kind !== 'dataset') continue;
    const other = seen.get(result.dataset);
    if (other !== undefined) {
      problems.push(
        problem('error', { file, line: lineOf(result.source.content, /^dataset\s*:/mu), column: 1 }, 'duplicate-dataset', `dataset "${result.dataset}" is also defined in ${other}`, 'keep one file per dataset'),
      );
      continue;
    }
    seen.set(result.dataset, file);
    datasets.push(result);
  }

  const failed = problems.some((p) => p.severity === 'error');
  const policies: Policy[] = [...(roles === undefined ? [] : [roles]), ...datasets];
  const set = failed || roles === undefined ? undefined : policySetFromModels(roles, datasets);
  return { set, policies, problems: sortProblems(problems) };
}

async function expandPaths(paths: readonly string[], problems: PolicyProblem[]): Promise<string[]> {
  const files: string[] = [];
  const seen = new Set<string>();
  const add = (file: string): void => {
    const key = resolve(file);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(file);
    }
  };
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch {
      problems.push(atStart(path, 'file-not-found', `no such file or folder "${path}"`, 'check the path; policy files live in policies/'));
      continue;
    }
    if (!isDirectory) {
      add(path);
      continue;
    }
    let entries: Dirent[];
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch (cause) {
      problems.push(atStart(path, 'file-unreadable', `cannot list folder "${path}" (${errorCode(cause)})`, 'check the folder is readable'));
      continue;
    }
    const names = entries.filter((entry) => entry.isFile() && POLICY_FILE.test(entry.name)).map((entry) => entry.name);
    if (names.length === 0) {
      problems.push(atStart(path, 'no-policies', `no policy files (*.yaml, *.yml) in folder "${path}"`, 'add policy files, or pass the folder that holds them'));
    }
    for (const name of names.sort()) add(join(path, name));
  }
  return files;
}

async function rolesNextTo(datasetFiles: readonly string[]): Promise<string[]> {
  const found = new Map<string, string>();
  for (const folder of new Set(datasetFiles.map((file) => dirname(file)))) {
    for (const name of ['roles.yaml', 'roles.yml']) {
      const candidate = join(folder, name);
      const exists = await stat(candidate).then(
        (s) => s.isFile(),
        () => false,
      );
      if (exists && !found.has(resolve(candidate))) found.set(resolve(candidate), candidate);
    }
  }
  return [...found.values()];
}

async function parseFile(file: string, roles: RolesPolicy | undefined, problems: PolicyProblem[]): Promise<Policy | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    problems.push(atStart(file, 'file-unreadable', `cannot read "${file}" (${errorCode(cause)})`, 'check the file exists and is readable'));
    return undefined;
  }
  // The hash is of the bytes on disk, so it matches `sha256sum` of the applied file.
  const result = parsePolicySource({ file, sha256: sha256Hex(bytes), content: bytes.toString('utf8') }, roles);
  problems.push(...result.problems);
  return result.policy;
}

function atStart(file: string, rule: string, message: string, fix: string): PolicyProblem {
  return problem('error', { file, line: 1, column: 1 }, rule, message, fix);
}

function lineOf(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  return match === null ? 1 : text.slice(0, match.index).split('\n').length;
}

function errorCode(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : 'error';
}
