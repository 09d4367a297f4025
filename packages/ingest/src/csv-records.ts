import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { AirlockError } from '@airlock/core';

export interface CsvOptions {
  delimiter: string;
  /** Largest record accepted, in bytes (default 1 MiB): a bigger one fails the file, naming its line. */
  maxRecordBytes: number;
  /** Receives the count of bytes read so far, for progress. */
  onBytes?: (bytesRead: number) => void;
}

export interface CsvRecord {
  /** 1-based number of the data record (the header is record 0). */
  record: number;
  /** Line where the record starts (1-based; quoted newlines make records span lines). */
  line: number;
  /**
   * Fields as text; null where the bytes are not valid UTF-8 (detected by the decoder's U+FFFD
   * replacement character, so a field that truly contains U+FFFD is treated as invalid too).
   */
  fields: Array<string | null>;
  /** The record's bytes decoded leniently, for the rejects table. */
  raw: string;
}


/**
 * Stream a CSV file record by record (flat memory, backpressure through async iteration).
 * A leading BOM is skipped; column counts are not enforced here (the caller rejects the row and
 * keeps it); a record over the size limit or broken quoting fails the file with its line.
 */
export async function* readCsvRecords(file: string, options: CsvOptions): AsyncGenerator<CsvRecord> {
  const input = createReadStream(file);
  let bytesRead = 0;
  if (options.onBytes) {
    const report = options.onBytes;
    input.on('data', (chunk) => report((bytesRead += chunk.length)));
  }
  const parser = input.pipe(
    parse({
      bom: true,
      delimiter: options.delimiter,
      raw: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: options.maxRecordBytes,
    }),
  );
  let record = -1;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
      record += 1;
      const fields = item.record.map((field) => (field.includes('\uFFFD') ? null : field));
      // `raw` starts with any skipped empty lines and ends with the line break; `info.lines` is
      // the line the record ends on.
      const raw = item.raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '');
      const inner = raw.split('\n').length - 1;
      yield { record, line: item.info.lines - inner, fields, raw };
    }
  } catch (cause) {
    if (cause instanceof AirlockError) throw cause;
    const error = cause as Error & { code?: string; lines?: number };
    throw new AirlockError(
      'INGEST_FILE_INVALID',
      `${file}${error.lines ? `:${error.lines}` : ''}: ${error.message}` +
        (error.code === 'CSV_MAX_RECORD_SIZE'
          ? ` (records are limited to ${options.maxRecordBytes} bytes; raise it with --max-record-bytes if this is real data)`
          : error.code === 'ENOENT'
            ? ''
            : ' — check the delimiter (--delimiter) and the quoting of that line.'),
      { cause },
    );
  }
}
