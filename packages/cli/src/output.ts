/** Thrown by a command that has printed its own outcome and wants a specific exit code. */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

/** A line on stdout. */
export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** A line on stderr. */
export function warn(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Run `fn` with an open runtime and always close it. */
export async function using<R extends { close(): Promise<void> }, T>(open: () => Promise<R>, fn: (resource: R) => Promise<T>): Promise<T> {
  const resource = await open();
  try {
    return await fn(resource);
  } finally {
    await resource.close();
  }
}
