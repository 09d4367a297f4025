/** Thrown by a command that has printed its own outcome and wants a specific exit code. */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

let stdoutClosed = false;
let guarded = false;

/**
 * Keep going when the reader of stdout goes away (`airlock audit verify | head -1`): an EPIPE
 * stops further output instead of crashing the command half-way (after its database work, before
 * its audit event). Other stdout errors are reported on stderr. Idempotent.
 */
export function tolerateClosedStdout(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    stdoutClosed = true;
    if (error.code !== 'EPIPE') process.stderr.write(`airlock: stdout: ${error.message}\n`);
  });
}

/** A line on stdout (dropped once stdout's reader has gone). */
export function say(line = ''): void {
  if (stdoutClosed) return;
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
