import { createWriteStream } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { generateAdmissions } from './admissions.ts';
import type { DemoOptions } from './admissions.ts';
import { DEMO_COLUMNS } from './columns.ts';
import type { DemoRow } from './columns.ts';

/** Options for {@link writeDemoCsv}. */
export interface DemoCsvOptions extends DemoOptions {
  /**
   * Called with rows written so far and the total: about every 1,000 rows, and once at the end
   * with `done === total`.
   */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link writeDemoCsv} wrote. */
export interface DemoCsvResult {
  /** Data rows, not counting the header. */
  rows: number;
  /** Bytes written, header included (UTF-8). */
  bytes: number;
}

// Rows are joined into chunks of this many before each write: one write per row costs more than
// generating the row.
const ROWS_PER_CHUNK = 1000;

/**
 * Writes the demo admissions as CSV (RFC 4180: a header of {@link DEMO_COLUMNS}, `,` between
 * fields, quotes only around fields holding `,`, `"` or a line break, `\n` after every line),
 * waiting for `drain` whenever the stream's buffer is full. Same options, same bytes.
 *
 * Given a path, creates or truncates that file and resolves once it is flushed and closed. Given
 * a stream, leaves it open (so `process.stdout` works); the caller ends it. Rejects with the
 * stream's error if writing fails, and with `BAD_REQUEST` for an invalid `rows`.
 */
export async function writeDemoCsv(output: NodeJS.WritableStream | string, options: DemoCsvOptions): Promise<DemoCsvResult> {
  const { onProgress, ...demo } = options;
  // Validate before creating a file, so a bad `rows` leaves nothing behind.
  const rows = generateAdmissions(demo);
  const first = rows.next();
  // Fake people, but realistic ones, and a file an operator may replace with real rows: owner only.
  const file = typeof output === 'string' ? createWriteStream(output, { mode: 0o600 }) : undefined;
  const stream: NodeJS.WritableStream = file ?? (output as NodeJS.WritableStream);
  // Without a listener an 'error' event would crash the process; remember it and stop instead.
  let failure: unknown;
  const onError = (error: unknown): void => {
    failure ??= error;
  };
  stream.on('error', onError);
  try {
    let bytes = 0;
    let done = 0;
    const write = async (chunk: string): Promise<void> => {
      if (failure !== undefined) throw failure;
      // Encode once: counting bytes of the string and then writing it would encode it twice.
      const encoded = Buffer.from(chunk);
      bytes += encoded.length;
      if (!stream.write(encoded)) await drained(stream);
    };

    let chunk = `${DEMO_COLUMNS.join(',')}\n`;
    let pending = 0;
    for (let next = first; next.done !== true; next = rows.next()) {
      chunk += formatRow(next.value);
      if (++pending === ROWS_PER_CHUNK) {
        await write(chunk);
        done += pending;
        onProgress?.(done, options.rows);
        chunk = '';
        pending = 0;
      }
    }
    if (chunk !== '') await write(chunk);
    done += pending;
    if (file !== undefined) {
      file.end();
      await finished(file);
      // The mode above applies only to a new file; an older one may have been world-readable.
      await chmod(output as string, 0o600);
    }
    if (failure !== undefined) throw failure;
    onProgress?.(done, options.rows);
    return { rows: done, bytes };
  } catch (error) {
    // Close a file we opened; a caller's stream is theirs to clean up.
    file?.destroy();
    throw error;
  } finally {
    stream.off('error', onError);
  }
}

/**
 * Resolves on 'drain'; rejects on 'error', and on 'close', since a stream destroyed without an
 * error never drains and the write loop would wait forever.
 */
function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: unknown): void => {
      stream.off('drain', onDrain);
      stream.off('error', onFail);
      stream.off('close', onClose);
      if (error === undefined) resolve();
      else reject(error instanceof Error ? error : new Error(String(error)));
    };
    const onDrain = (): void => settle();
    const onFail = (error: unknown): void => settle(error ?? new Error('stream failed'));
    const onClose = (): void => settle(new Error('the output stream closed before all rows were written'));
    stream.on('drain', onDrain);
    stream.on('error', onFail);
    stream.on('close', onClose);
  });
}

/** One CSV line for a row, with its `\n`. */
export function formatRow(row: DemoRow): string {
  return (
    `${row.admission_id},${row.mrn},${field(row.name)},${row.ssn},${field(row.email)},${row.birth_date},${row.sex},` +
    `${row.zip},${row.admitted_at},${row.discharged_at},${row.ward},${row.diagnosis},${row.prior_admissions},` +
    `${row.length_of_stay},${row.cost.toFixed(2)},${row.readmitted ? 'true' : 'false'}\n`
  );
}

// Only the faker-derived text can hold characters CSV must quote; the rest are fixed formats.
const NEEDS_QUOTES = /[",\r\n]/;

function field(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
