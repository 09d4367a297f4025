import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestFile } from './file-digest.ts';

describe('digestFile', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-digest-'));

  it('hashes a file', async () => {
    const file = path.join(dir, 'a.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    // sha256 of "a,b\n1,2\n", by `printf 'a,b\n1,2\n' | sha256sum`.
    expect(await digestFile(file)).toEqual({ sha256: '492d5ea496056f1a6a6592241032fab764c321596317930b4fa0e1e8bc3b7470', bytes: 8 });
  });

  it('a folder is a 400 that says to give one file and how to load them all', async () => {
    await expect(digestFile(dir)).rejects.toMatchObject({ code: 'INGEST_FILE_INVALID', message: expect.stringMatching(/is a folder, not a CSV file: give one file .*for f in/u) });
  });

  it('a missing file says so, not the system error code', async () => {
    await expect(digestFile(path.join(dir, 'nope.csv'))).rejects.toMatchObject({
      code: 'INGEST_FILE_INVALID',
      message: expect.stringContaining('there is no such file (check the path and the current folder)'),
    });
  });
});
