import { chmodSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePrivate } from './index.ts';

describe('makePrivate', () => {
  it('turns a world-readable tree (as PGlite leaves it) into 0700 folders and 0600 files', async () => {
    const root = path.join(mkdtempSync(path.join(os.tmpdir(), 'airlock-private-')), 'data');
    mkdirSync(path.join(root, 'pgdata', 'pg_wal'), { recursive: true });
    writeFileSync(path.join(root, 'pgdata', 'pg_wal', '000000010000000000000001'), 'raw SSNs');
    writeFileSync(path.join(root, 'pgdata', 'PG_VERSION'), '16');
    chmodSync(path.join(root, 'pgdata', 'pg_wal', '000000010000000000000001'), 0o666);
    chmodSync(path.join(root, 'pgdata', 'PG_VERSION'), 0o644);
    chmodSync(path.join(root, 'pgdata'), 0o755);
    chmodSync(root, 0o777);
    symlinkSync('/etc/hostname', path.join(root, 'link'));
    expect(await makePrivate(root)).toBe(5);
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(root, 'pgdata')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(root, 'pgdata', 'pg_wal', '000000010000000000000001')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(root, 'pgdata', 'PG_VERSION')).mode & 0o777).toBe(0o600);
    expect(await makePrivate(root)).toBe(0);
  });

  it('with recursive: false, tightens the folder only', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'airlock-private-'));
    writeFileSync(path.join(root, 'not-ours.sh'), '#!/bin/sh');
    chmodSync(path.join(root, 'not-ours.sh'), 0o755);
    chmodSync(root, 0o755);
    expect(await makePrivate(root, { recursive: false })).toBe(1);
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(root, 'not-ours.sh')).mode & 0o777).toBe(0o755);
  });
});
