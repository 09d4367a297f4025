import { mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileAnchor, loadAuditKeyFile } from './index.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-anchor-'));

describe('file anchor', () => {
  it('writes the head as a 0600 file in a 0700 folder and never moves it back', async () => {
    const file = path.join(dir, 'a', 'audit-head.json');
    const anchor = fileAnchor(file);
    await Promise.all([1, 5, 3, 4].map((seq) => anchor.advance({ seq, hash: `h${seq}`, mac: `m${seq}` })));
    expect(await anchor.read()).toEqual({ seq: 5, hash: 'h5', mac: 'm5' });
    await fileAnchor(file).advance({ seq: 2, hash: 'h2', mac: 'm2' });
    expect(await anchor.read()).toMatchObject({ seq: 5 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });

  it('an unreadable anchor is reported as a broken chain, not taken as "no anchor"', async () => {
    const file = path.join(dir, 'garbled.json');
    writeFileSync(file, '{"seq": "x"');
    await expect(fileAnchor(file).read()).rejects.toMatchObject({ code: 'AUDIT_CHAIN_BROKEN' });
  });

  it('a missing anchor reads as none', async () => {
    expect(await fileAnchor(path.join(dir, 'none.json')).read()).toBeUndefined();
  });
});

describe('audit key file', () => {
  it('is created once, 0600, and read back the same', async () => {
    const file = path.join(dir, 'k', 'audit.key');
    const key = await loadAuditKeyFile(file, { create: true });
    expect(key).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await loadAuditKeyFile(file, { create: false })).toEqual(key);
    expect(readFileSync(file, 'utf8').trim()).toBe(key.toString('hex'));
  });

  it('is refused when other users can read it, or when missing and not to be created', async () => {
    const file = path.join(dir, 'open.key');
    writeFileSync(file, `${'ab'.repeat(32)}\n`);
    chmodSync(file, 0o644);
    await expect(loadAuditKeyFile(file, { create: false })).rejects.toThrow(/chmod 600/);
    await expect(loadAuditKeyFile(path.join(dir, 'missing.key'), { create: false })).rejects.toThrow(/openssl rand -hex 32/);
  });

  it('is refused when shorter than 32 bytes', async () => {
    const file = path.join(dir, 'short.key');
    writeFileSync(file, 'abcd\n', { mode: 0o600 });
    await expect(loadAuditKeyFile(file, { create: false })).rejects.toThrow(/at least 32 bytes/);
  });
});
