import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Env } from './env-reader.ts';

/**
 * The settings that hold secrets. Each can be given as `<NAME>_FILE` instead: the path of a file
 * holding the value (a Docker or Kubernetes secret), so the secret stays out of the environment,
 * which `docker inspect` and `/proc/<pid>/environ` show.
 */
export const SECRET_SETTINGS = ['DATABASE_URL', 'AIRLOCK_APP_DB_PASSWORD', 'AIRLOCK_METRICS_TOKEN'] as const;

/**
 * The environment with every `<NAME>_FILE` of {@link SECRET_SETTINGS} read into `<NAME>`: the
 * file's content, trimmed (a trailing newline is not part of a password). A relative path is
 * resolved against `cwd`; an empty variable counts as unset. Each problem is added to `problems`
 * naming the variable and the file, never the secret: both `NAME` and `NAME_FILE` set, a file
 * that cannot be read, an empty file.
 */
export function withSecretFiles(env: Env, problems: string[], cwd = process.cwd()): Env {
  const resolved: Record<string, string | undefined> = { ...env };
  for (const name of SECRET_SETTINGS) {
    const fileVariable = `${name}_FILE`;
    const file = env[fileVariable]?.trim();
    if (!file) continue;
    if (env[name]) {
      problems.push(`${name} and ${fileVariable} are both set: keep one (${fileVariable} names a file holding the value).`);
      continue;
    }
    const fullPath = path.resolve(cwd, file);
    let content: string;
    try {
      content = readFileSync(fullPath, 'utf8').trim();
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      problems.push(
        `${fileVariable}=${file}: the file cannot be read (${reason}). Give the path of a file holding ${name} that this process's user may read.`,
      );
      continue;
    }
    if (content === '') {
      problems.push(`${fileVariable}=${file}: the file is empty. Write ${name} in it, or unset ${fileVariable}.`);
      continue;
    }
    resolved[name] = content;
  }
  return resolved;
}
