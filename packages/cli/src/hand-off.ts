import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { AirlockError, isAirlockError, type ErrorCode } from '@airlock/core';
import type { OperationOutput, Progress } from './operation.ts';
import { isOperationName, type OperationName } from './operations/index.ts';
import { CliExit } from './output.ts';

/**
 * The embedded database belongs to one process, so while `airlock start` runs, the data owner's
 * commands (apply, ingest, synth, rebuild, keys rotate, audit verify, rejects, remove, risk) are
 * handed to it: the server listens on 127.0.0.1 only, on a port of its own (not the gateway's),
 * and writes the port and a random secret to `<data folder>/server.json` (mode 0600). Reading the
 * secret proves what reading the database files would: the caller is the account that owns the
 * raw data, a steward. The server runs the same operation the CLI would have run, and streams its
 * output back as one JSON event per line.
 */

const SERVER_FILE = 'server.json';

interface ServerFile {
  pid: number;
  port: number;
  secret: string;
}

/** One line of the stream back to the CLI. */
type Event =
  | { t: 'say'; line: string }
  | { t: 'warn'; line: string }
  | { t: 'progress'; id: number; label: string; total: number; unit: string; note?: string | undefined }
  | { t: 'update'; id: number; done: number; extra?: Record<string, string | number> | undefined }
  | { t: 'stop'; id: number }
  | { t: 'exit'; code: number }
  | { t: 'error'; code: ErrorCode; message: string };

/** Runs a named operation for a CLI, with its output. */
export type RunOperation = (name: OperationName, args: unknown, actor: { actor: string; roles: string[] }, out: OperationOutput) => Promise<void>;

export interface OperatorChannel {
  port: number;
  close(): Promise<void>;
}

/** Listen for handed-over commands and publish where (see the module comment). */
export async function openOperatorChannel(dataDir: string, run: RunOperation, onError: (error: unknown) => void): Promise<OperatorChannel> {
  const secret = randomBytes(32).toString('base64url');
  const server = http.createServer((req, res) => {
    serve(req, res, secret, run).catch((error: unknown) => {
      onError(error);
      res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const file = path.join(dataDir, SERVER_FILE);
  const temporary = `${file}.${process.pid}`;
  writeFileSync(temporary, JSON.stringify({ pid: process.pid, port, secret } satisfies ServerFile), { mode: 0o600 });
  renameSync(temporary, file);
  return {
    port,
    close: async () => {
      rmSync(file, { force: true });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function serve(req: http.IncomingMessage, res: http.ServerResponse, secret: string, run: RunOperation): Promise<void> {
  const refuse = (status: number, message: string): void => {
    res.writeHead(status, { 'content-type': 'text/plain' }).end(`${message}\n`);
  };
  if (req.method !== 'POST' || req.url !== '/operations') return refuse(404, 'not found');
  if (!sameSecret(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '', secret)) return refuse(401, 'the operator secret does not match');
  let body: { operation?: unknown; args?: unknown; actor?: unknown };
  try {
    body = JSON.parse(await readBody(req)) as typeof body;
  } catch {
    return refuse(400, 'the request is not JSON');
  }
  const { operation, args, actor } = body;
  if (typeof operation !== 'string' || !isOperationName(operation)) return refuse(400, `no operation ${JSON.stringify(operation)}`);
  if (typeof actor !== 'string' || !actor.startsWith('cli:')) return refuse(400, 'actor must be cli:<user>');
  res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
  const send = (event: Event): void => {
    if (!res.destroyed) res.write(`${JSON.stringify(event)}\n`);
  };
  let bars = 0;
  const out: OperationOutput = {
    say: (line = '') => send({ t: 'say', line }),
    warn: (line) => send({ t: 'warn', line }),
    progress: (label, total, unit, note) => {
      const id = ++bars;
      send({ t: 'progress', id, label, total, unit, note });
      return { update: (done, extra) => send({ t: 'update', id, done, extra }), stop: () => send({ t: 'stop', id }) };
    },
  };
  try {
    await run(operation, args, { actor, roles: ['steward'] }, out);
    send({ t: 'exit', code: 0 });
  } catch (error) {
    if (error instanceof CliExit) send({ t: 'exit', code: error.exitCode });
    else if (isAirlockError(error)) send({ t: 'error', code: error.code, message: error.message });
    else send({ t: 'error', code: 'INTERNAL', message: `unexpected error in the server: ${(error as Error).message}` });
  }
  res.end();
}

/**
 * The running server of this data folder, when there is one: its file exists and its process is
 * alive. A file left by a process that has stopped is ignored.
 */
export function runningServer(dataDir: string): ServerFile | undefined {
  let found: ServerFile;
  try {
    found = JSON.parse(readFileSync(path.join(dataDir, SERVER_FILE), 'utf8')) as ServerFile;
  } catch {
    return undefined;
  }
  if (!Number.isInteger(found.pid) || found.pid === process.pid) return undefined;
  try {
    process.kill(found.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  return found;
}

/**
 * Run an operation in the running server and show its output here, as if it ran here. Returns
 * normally on exit 0; throws CliExit or the server's AirlockError otherwise.
 */
export async function handOff(server: ServerFile, name: OperationName, args: unknown, actor: string, out: OperationOutput): Promise<void> {
  const bars = new Map<number, Progress>();
  let ended: Event | undefined;
  const handle = (event: Event): void => {
    switch (event.t) {
      case 'say':
        return out.say(event.line);
      case 'warn':
        return out.warn(event.line);
      case 'progress':
        bars.set(event.id, out.progress(event.label, event.total, event.unit, event.note));
        return;
      case 'update':
        return bars.get(event.id)?.update(event.done, event.extra);
      case 'stop':
        bars.get(event.id)?.stop();
        bars.delete(event.id);
        return;
      case 'exit':
      case 'error':
        ended = event;
    }
  };
  try {
    await postStream(server, JSON.stringify({ operation: name, args, actor }), (line) => handle(JSON.parse(line) as Event));
  } finally {
    for (const bar of bars.values()) bar.stop();
  }
  if (ended?.t === 'exit') {
    if (ended.code !== 0) throw new CliExit(ended.code);
    return;
  }
  if (ended?.t === 'error') throw new AirlockError(ended.code, ended.message);
  throw new AirlockError('DATABASE_UNAVAILABLE', `The running server (process ${server.pid}) stopped answering before the command finished; its outcome is in the audit log.`);
}

function postStream(server: ServerFile, body: string, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port: server.port, path: '/operations', method: 'POST', headers: { authorization: `Bearer ${server.secret}`, 'content-type': 'application/json' } },
      (response) => {
        if (response.statusCode !== 200) {
          readBody(response).then(
            (text) => reject(new AirlockError('DATABASE_UNAVAILABLE', `The running server (process ${server.pid}) refused the command: ${text.trim()}`)),
            reject,
          );
          return;
        }
        let pending = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          pending += chunk;
          let newline: number;
          while ((newline = pending.indexOf('\n')) >= 0) {
            const line = pending.slice(0, newline);
            pending = pending.slice(newline + 1);
            if (line) onLine(line);
          }
        });
        response.on('end', () => resolve());
        response.on('error', reject);
      },
    );
    request.on('error', (error) =>
      reject(
        new AirlockError(
          'DATABASE_UNAVAILABLE',
          `The embedded database is in use by a running server (process ${server.pid}), which did not answer on 127.0.0.1:${server.port}: ${error.message}. Stop it, or try again once it has started.`,
        ),
      ),
    );
    request.end(body);
  });
}

function readBody(stream: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

function sameSecret(given: string, secret: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(secret));
}
