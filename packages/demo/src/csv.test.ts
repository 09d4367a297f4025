import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { isAirlockError } from '@airlock/core';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRow } from './csv.ts';
import { DEMO_COLUMNS, generateAdmissions, writeDemoCsv } from './index.ts';
import type { DemoRow } from './index.ts';

/** A stream that keeps what it is given, optionally slow, with a small buffer to force 'drain'. */
function sink(options: { slow?: boolean; highWaterMark?: number } = {}): { stream: Writable; text: () => string; buffer: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    highWaterMark: options.highWaterMark ?? 16_384,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      if (options.slow === true) setImmediate(callback);
      else callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8'), buffer: () => Buffer.concat(chunks) };
}

async function csvOf(rows: number, seed: number | string): Promise<Buffer> {
  const out = sink();
  await writeDemoCsv(out.stream, { rows, seed });
  return out.buffer();
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-demo-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeDemoCsv', () => {
  it('writes identical bytes for the same seed and different bytes for another', async () => {
    const a = await csvOf(3000, 'same');
    expect((await csvOf(3000, 'same')).equals(a)).toBe(true);
    expect((await csvOf(3000, 'other')).equals(a)).toBe(false);
  });

  it('writes a header and exactly the rows asked for, each as the generator made it', async () => {
    const out = sink();
    const result = await writeDemoCsv(out.stream, { rows: 2500, seed: 5 });
    const text = out.text();
    expect(result).toEqual({ rows: 2500, bytes: Buffer.byteLength(text) });
    expect(text.startsWith(`${DEMO_COLUMNS.join(',')}\n`)).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('\r');

    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(2500);
    const rows = [...generateAdmissions({ rows: 2500, seed: 5 })];
    records.forEach((record, i) => {
      const row = rows[i]!;
      expect(record).toEqual({
        ...Object.fromEntries(DEMO_COLUMNS.map((column) => [column, String(row[column])])),
        cost: row.cost.toFixed(2),
      });
    });
  });

  it('writes only the header for zero rows', async () => {
    const out = sink();
    expect(await writeDemoCsv(out.stream, { rows: 0, seed: 1 })).toEqual({ rows: 0, bytes: DEMO_COLUMNS.join(',').length + 1 });
    expect(out.text()).toBe(`${DEMO_COLUMNS.join(',')}\n`);
  });

  it('waits for a slow reader instead of buffering everything', async () => {
    const slow = sink({ slow: true, highWaterMark: 1024 });
    let maxBuffered = 0;
    const result = await writeDemoCsv(slow.stream, {
      rows: 5000,
      seed: 8,
      onProgress: () => {
        maxBuffered = Math.max(maxBuffered, slow.stream.writableLength);
      },
    });
    expect(slow.buffer().equals(await csvOf(5000, 8))).toBe(true);
    expect(result.bytes).toBe(slow.buffer().length);
    // One chunk of about 1,000 rows may sit in the buffer, never the whole file.
    expect(maxBuffered).toBeLessThan(result.bytes / 2);
  });

  it('reports progress in order, ending at the total', async () => {
    const calls: [number, number][] = [];
    await writeDemoCsv(sink().stream, { rows: 3500, seed: 2, onProgress: (done, total) => calls.push([done, total]) });
    expect(calls.at(-1)).toEqual([3500, 3500]);
    expect(calls.every(([, total]) => total === 3500)).toBe(true);
    expect(calls.every(([done], i) => i === 0 || done >= calls[i - 1]![0])).toBe(true);
    expect(calls.length).toBeGreaterThanOrEqual(4);
  });

  it('writes a file given a path, the same bytes as to a stream', async () => {
    const path = join(dir, 'admissions.csv');
    const result = await writeDemoCsv(path, { rows: 1500, seed: 'file' });
    const written = await readFile(path);
    expect(written.equals(await csvOf(1500, 'file'))).toBe(true);
    expect((await stat(path)).size).toBe(result.bytes);
  });

  it('writes the file readable by its owner only (0600), also over an older world-readable one', async () => {
    const path = join(dir, 'private.csv');
    await writeDemoCsv(path, { rows: 10, seed: 'mode' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await chmod(path, 0o644);
    await writeDemoCsv(path, { rows: 10, seed: 'mode' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('rejects when the file cannot be written, and for a bad row count before creating a file', async () => {
    await expect(writeDemoCsv(join(dir, 'missing', 'x.csv'), { rows: 10, seed: 1 })).rejects.toMatchObject({ code: 'ENOENT' });
    const path = join(dir, 'never.csv');
    const failure = await writeDemoCsv(path, { rows: -5, seed: 1 }).catch((error: unknown) => error);
    expect(isAirlockError(failure, 'BAD_REQUEST')).toBe(true);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects when the stream fails part-way', async () => {
    let writes = 0;
    const failing = new Writable({
      highWaterMark: 1024,
      write(_chunk, _encoding, callback) {
        writes++;
        setImmediate(() => callback(writes > 3 ? new Error('disk full') : null));
      },
    });
    await expect(writeDemoCsv(failing, { rows: 20_000, seed: 1 })).rejects.toThrow('disk full');
  });

  it('rejects instead of hanging when the stream is destroyed without an error', async () => {
    const stalled = new Writable({ highWaterMark: 1024, write: () => undefined });
    setTimeout(() => stalled.destroy(), 20);
    await expect(writeDemoCsv(stalled, { rows: 5000, seed: 1 })).rejects.toThrow(/closed before all rows/);
  });
});

describe('formatRow', () => {
  it('quotes a field only when it holds a comma, quote or line break (RFC 4180)', () => {
    const [row] = [...generateAdmissions({ rows: 1, seed: 1 })] as [DemoRow];
    const line = formatRow({ ...row, name: 'Ann "Nan" Lee, Jr.', email: 'plain@example.com' });
    expect(line).toContain(',"Ann ""Nan"" Lee, Jr.",');
    expect(line).toContain(',plain@example.com,');
    const [record] = parse(line) as [string[]];
    expect(record[DEMO_COLUMNS.indexOf('name')]).toBe('Ann "Nan" Lee, Jr.');
    expect(record).toHaveLength(DEMO_COLUMNS.length);
  });
});
