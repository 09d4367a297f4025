import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { AirlockError } from '@airlock/core';
import type { AirlockDatabase } from '@airlock/db';

/** The newest event a process saw committed, kept where the database cannot rewrite it. */
export interface AnchoredHead {
  seq: number;
  hash: string;
  /** HMAC of seq and hash under the audit key (see `anchorMac`). */
  mac: string;
}

/**
 * Where the chain head is kept outside the database: a file (default `<data dir>/audit-head.json`,
 * or storage the database host cannot write, in server mode) or memory (tests). `advance` only
 * ever moves the head forward; concurrent calls are coalesced into one write of the newest head.
 */
export interface AuditAnchor {
  /** Where it is, for reports (a path, or `memory`). */
  readonly where: string;
  read(): Promise<AnchoredHead | undefined>;
  /** Record `head` unless a head at least as new is already recorded; resolves once it is. */
  advance(head: AnchoredHead): Promise<void>;
}

/** An anchor in a JSON file, replaced atomically (write, fsync, rename), mode 0600. */
export function fileAnchor(file: string): AuditAnchor {
  return coalescing(file, () => readAnchorFile(file), (head) => writeAnchorFile(file, head));
}

/** An anchor held in memory (tests; a process that restarts loses it). */
export function memoryAnchor(): AuditAnchor {
  let stored: AnchoredHead | undefined;
  return coalescing(
    'memory',
    () => Promise.resolve(stored),
    (head) => {
      stored = { ...head };
      return Promise.resolve();
    },
  );
}

function coalescing(
  where: string,
  read: () => Promise<AnchoredHead | undefined>,
  write: (head: AnchoredHead) => Promise<void>,
): AuditAnchor {
  let wanted: AnchoredHead | undefined;
  let chain: Promise<void> = Promise.resolve();
  return {
    where,
    read,
    advance(head) {
      if (wanted && head.seq <= wanted.seq) return chain;
      wanted = head;
      chain = chain
        .catch(() => undefined)
        .then(async () => {
          const target = wanted!;
          const current = await read();
          // Never move backwards (another process may have recorded a newer head).
          if (current && current.seq >= target.seq) return;
          await write(target);
        });
      return chain;
    },
  };
}

async function readAnchorFile(file: string): Promise<AnchoredHead | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const head = parsed as Partial<AnchoredHead> | undefined;
  if (!head || !Number.isSafeInteger(head.seq) || typeof head.hash !== 'string' || typeof head.mac !== 'string') {
    throw new AirlockError(
      'AUDIT_CHAIN_BROKEN',
      `The audit anchor ${file} is not a {"seq","hash","mac"} record: it was altered or truncated. Restore it from a backup; do not delete it (that hides removed events).`,
    );
  }
  return { seq: head.seq!, hash: head.hash, mac: head.mac };
}

async function writeAnchorFile(file: string, head: AnchoredHead): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify({ seq: head.seq, hash: head.hash, mac: head.mac })}\n`);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

const anchors = new WeakMap<AirlockDatabase, AuditAnchor>();

/**
 * Keep the chain head of `database` in `anchor`: every append through `createAuditLog` advances
 * it, and `verifyAuditChain` checks the chain reaches it. One anchor per database object.
 */
export function anchorAuditLog(database: AirlockDatabase, anchor: AuditAnchor): void {
  anchors.set(database, anchor);
}

/** The anchor registered for `database`, if any. */
export function anchorOf(database: AirlockDatabase): AuditAnchor | undefined {
  return anchors.get(database);
}
