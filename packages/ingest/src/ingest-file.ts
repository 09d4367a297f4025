import path from 'node:path';
import { appendInTransaction, createAuditLog } from '@airlock/audit';
import { AirlockError, appendAll } from '@airlock/core';
import { createDeidentifier, normalizeValue, type KeyProvider } from '@airlock/deid';
import type { AirlockDatabase } from '@airlock/db';
import type { DatasetPolicy } from '@airlock/policy';
import { readCsvRecords, type CsvRecord } from './csv-records.ts';
import { ensureDatasetTables } from './dataset-tables.ts';
import { recordDerivation } from './derivation.ts';
import { DuplicateFilter } from './duplicates.ts';
import { digestFile } from './file-digest.ts';
import { prepareBatch, subjectPlan, type RejectedRecord, type RowPlan } from './prepare-batch.ts';
import { completeSource, openSource } from './sources.ts';
import { deriveDeidentified } from './rebuild.ts';
import type { RiskOutcome } from './risk-enforcement.ts';
import { RunSurrogates } from './surrogate-store.ts';
import { writeBatch } from './write-batch.ts';

export interface IngestOptions {
  database: AirlockDatabase;
  /** The applied policy of the dataset, with its stored version. */
  policy: DatasetPolicy;
  policyVersion: number;
  keys: KeyProvider;
  file: string;
  delimiter?: string;
  /** Largest CSV record in bytes (default 1 MiB). */
  maxRecordBytes?: number;
  /** Records per transaction (default 5,000). */
  batchSize?: number;
  actor: { actor: string; roles: readonly string[] };
  onProgress?: (progress: IngestProgress) => void;
}

export interface IngestProgress {
  bytesRead: number;
  totalBytes: number;
  records: number;
  loaded: number;
  rejected: number;
  skipped: number;
}

export interface IngestSummary {
  dataset: string;
  file: string;
  sha256: string;
  /** Data records read from the file (the header excluded). */
  read: number;
  /** Rows loaded by this run. */
  loaded: number;
  /** Rows rejected by this run (kept in restricted.ingest_rejects with line, column and reason). */
  rejected: number;
  /** Records skipped because an earlier run of the same file already committed them. */
  alreadyLoaded: number;
  /**
   * Records not loaded because earlier loads hold the same normalized values (another export of
   * the same rows: other line endings, quoting or column order).
   */
  duplicates: number;
  /** The same file was fully loaded before: nothing was read. */
  noop: boolean;
  seconds: number;
  /** The first rejects of this run, for the summary. */
  sampleRejects: RejectedRecord[];
  /** Rows published in the deidentified zone after this load (all loads, after risk enforcement). */
  published: number;
  /** The risk targets' outcome for the re-derived deidentified zone; undefined for a no-op. */
  risk: RiskOutcome | undefined;
}

/**
 * Load a CSV file into a dataset: every row checked against the policy's column types, raw rows
 * into `restricted` in one transaction per batch; then the deidentified zone is re-derived from
 * all of the dataset's rows, with the policy's risk targets enforced, in the closing transaction.
 * Idempotent by file content: the same file again is a no-op, and a run that was killed resumes
 * after the last committed batch, so nothing is lost or duplicated. Audited at start (fail
 * closed: no audit, no load) and at the end with the counts.
 */
export async function ingestFile(options: IngestOptions): Promise<IngestSummary> {
  const started = Date.now();
  const { database, policy, keys } = options;
  const batchSize = options.batchSize ?? 5000;
  const audit = createAuditLog(database);
  const file = path.resolve(options.file);
  const digest = await digestFile(file);

  await ensureDatasetTables(database, policy);
  await recordDerivation(database, policy, options.policyVersion, keys.currentVersion(), 'ingest');
  const source = await openSource(database, policy.dataset, digest, path.basename(file));
  const summary: IngestSummary = {
    dataset: policy.dataset,
    file,
    sha256: digest.sha256,
    read: 0,
    loaded: 0,
    rejected: 0,
    alreadyLoaded: 0,
    duplicates: 0,
    noop: source.completed,
    seconds: 0,
    sampleRejects: [],
    published: 0,
    risk: undefined,
  };
  const auditBase = { ...options.actor, type: 'ingest' as const, action: 'ingest', dataset: policy.dataset, zone: 'restricted' };
  if (source.completed) {
    summary.alreadyLoaded = source.loaded + source.rejected;
    summary.seconds = (Date.now() - started) / 1000;
    await audit.append({ ...auditBase, outcome: 'allowed', details: { file: path.basename(file), sha256: digest.sha256, noop: true } });
    return summary;
  }
  await audit.append({
    ...auditBase,
    outcome: 'allowed',
    details: { phase: 'start', file: path.basename(file), sha256: digest.sha256, bytes: digest.bytes, resumeAfterRecord: source.lastRecord },
  });

  try {
    let bytesRead = 0;
    const records = readCsvRecords(file, {
      delimiter: options.delimiter ?? ',',
      maxRecordBytes: options.maxRecordBytes ?? 1 << 20,
      onBytes: (n) => (bytesRead = n),
    });
    const plan = await readHeader(records, policy, keys, file);
    const surrogateColumns = RunSurrogates.columns(policy);
    const surrogates = new RunSurrogates(keys);
    const duplicates = new DuplicateFilter(database, policy.dataset, source.id);
    // While one batch is written, the next is parsed and transformed: the database and the
    // JavaScript work overlap. At most one write is in flight, so batches still commit in order.
    let writing: Promise<void> = Promise.resolve();
    let batch: CsvRecord[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const records = batch;
      batch = [];
      surrogates.nextBatch();
      if (surrogateColumns.length > 0) await surrogates.preload(database, surrogateValues(plan, surrogateColumns, records));
      const deidentifier = createDeidentifier(policy, keys, { surrogates });
      const prepared = prepareBatch(plan, deidentifier, source.id, records);
      await duplicates.apply(prepared);
      const minted = surrogates.mintedLookups();
      await writing;
      writing = database.bulk('restricted', (session) => writeBatch(session, policy, source.id, prepared, minted, keys.currentVersion())).then(() => {
        summary.loaded += prepared.restricted.length;
        summary.duplicates += prepared.duplicates;
        summary.rejected += prepared.rejects.length;
        if (summary.sampleRejects.length < 10) appendAll(summary.sampleRejects, prepared.rejects.slice(0, 10 - summary.sampleRejects.length));
        options.onProgress?.({ bytesRead, totalBytes: digest.bytes, records: summary.read, loaded: summary.loaded, rejected: summary.rejected, skipped: summary.alreadyLoaded });
      });
      // A failed write surfaces at the next await; keep it from being reported as unhandled meanwhile.
      writing.catch(() => undefined);
    };
    for await (const record of records) {
      summary.read = record.record;
      if (record.record <= source.lastRecord) {
        summary.alreadyLoaded += 1;
        continue;
      }
      batch.push(record);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    await writing;
    await database.bulk('catalog', async (session) => {
      // The deidentified zone is derived once the whole load is in, in this transaction, so no
      // reader ever sees rows before the risk targets are applied to the dataset as a whole.
      const derived = await deriveDeidentified(session, { policy, policyVersion: options.policyVersion, keys, reason: 'ingest' });
      summary.published = derived.published;
      summary.risk = derived.risk;
      await session.setRole('catalog');
      await completeSource(session, source.id, summary.read);
      await session.setRole('audit');
      // The end event commits with the source's completion: a completed source always has one.
      await appendInTransaction(
        session,
        {
          ...auditBase,
          outcome: 'allowed',
          details: {
            phase: 'end',
            file: path.basename(file),
            sha256: digest.sha256,
            read: summary.read,
            loaded: summary.loaded,
            rejected: summary.rejected,
            alreadyLoaded: summary.alreadyLoaded,
            duplicates: summary.duplicates,
            risk: summary.risk ?? null,
          },
        },
        new Date(),
      );
    });
  } catch (error) {
    await audit
      .append({ ...auditBase, outcome: 'error', details: { file: path.basename(file), loaded: summary.loaded, rejected: summary.rejected, error: (error as Error).message.slice(0, 300) } })
      .catch(() => undefined);
    throw error;
  }
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

/** Record 0 is the header: every policy column must be there, and nothing else. */
async function readHeader(records: AsyncGenerator<CsvRecord>, policy: DatasetPolicy, keys: KeyProvider, file: string): Promise<RowPlan> {
  const first = await records.next();
  const expected = policy.columns.map((c) => c.header ?? c.name);
  if (first.done) {
    throw new AirlockError('INGEST_FILE_INVALID', `${file} is empty: expected a header row with the columns ${expected.join(', ')}.`);
  }
  // A byte-order mark is not part of the first header.
  const header = first.value.fields.map((f, i) => (i === 0 ? (f ?? '').replace(/^\uFEFF/u, '') : (f ?? '')).trim());
  const position = new Map<string, number>();
  const duplicates = header.filter((name, i) => header.indexOf(name) !== i);
  header.forEach((name, i) => position.set(name, i));
  const missing = expected.filter((name) => !position.has(name));
  const extra = header.filter((name) => !expected.includes(name));
  const problems: string[] = [];
  if (duplicates.length) problems.push(`repeated column(s) ${[...new Set(duplicates)].map(quoted).join(', ')}`);
  if (missing.length) problems.push(`missing column(s) ${missing.map(quoted).join(', ')}`);
  if (extra.length) {
    problems.push(
      `undeclared column(s) ${extra.map(quoted).join(', ')} (declare each in the policy of "${policy.dataset}", e.g. ${declarationFor(extra[0]!)}, or remove it from the file)`,
    );
  }
  if (problems.length) {
    throw new AirlockError(
      'INGEST_FILE_INVALID',
      `${file}:1: the header does not match the policy of "${policy.dataset}": ${problems.join('; ')}. ` +
        `Expected: ${expected.map(quoted).join(', ')}. If the file uses another delimiter, pass --delimiter.`,
    );
  }
  const headerIndex = new Map(policy.columns.map((c) => [c.name, position.get(c.header ?? c.name)!]));
  return { policy, headerIndex, headerWidth: header.length, keys, subject: subjectPlan(policy) };
}

function quoted(name: string): string {
  return /^[a-z][a-z0-9_-]*$/u.test(name) ? name : JSON.stringify(name);
}

/** A policy line declaring a header as it is: a column name made from it, and `header:` when they differ. */
function declarationFor(header: string): string {
  const name = header.toLowerCase().replace(/[^a-z0-9]+/gu, '_').replace(/^_+|_+$/gu, '').replace(/^(?=[0-9])/u, 'c_') || 'column';
  return name === header ? `${name}: { type: string, class: attribute }` : `${name}: { header: ${JSON.stringify(header)}, type: string, class: attribute }`;
}

function surrogateValues(
  plan: RowPlan,
  columns: ReadonlyArray<{ column: string; domain: string }>,
  records: readonly CsvRecord[],
): Map<string, Set<string>> {
  const values = new Map<string, Set<string>>();
  for (const { column, domain } of columns) {
    const set = values.get(domain) ?? new Set<string>();
    values.set(domain, set);
    const index = plan.headerIndex.get(column)!;
    for (const record of records) {
      const field = record.fields[index];
      if (field) set.add(normalizeValue(field, false));
    }
  }
  return values;
}
