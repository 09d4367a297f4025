/** The environment a configuration is read from (`process.env`, or a test's own). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads AIRLOCK_* variables, collecting every problem instead of stopping at the first, so a
 * start-up error lists all of them. Each section of the configuration reads through one.
 */
export function envReader(
  env: Env,
  problems: string[] = [],
): { problems: string[]; integer(name: string, fallback: number, min: number, max: number, note?: string): number; oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T } {
  return {
    problems,
    integer(name, fallback, min, max, note = '') {
      const raw = env[name];
      if (raw === undefined || raw === '') return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        problems.push(`${name}="${raw}" is not an integer from ${min} to ${max}${note}.`);
        return fallback;
      }
      return value;
    },
    oneOf(name, values, fallback) {
      const raw = env[name]?.trim();
      if (raw === undefined || raw === '') return fallback;
      if ((values as readonly string[]).includes(raw)) return raw as (typeof values)[number];
      problems.push(`${name}="${raw}" must be one of ${values.join(', ')}.`);
      return fallback;
    },
  };
}
