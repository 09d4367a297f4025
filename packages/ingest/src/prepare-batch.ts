import { appendAll } from '@airlock/core';
import { randomUUID } from 'node:crypto';
import { canonicalJson, sha256Hex } from '@airlock/core';
import { normalizeValue, tokenize, TransformError, type Deidentifier, type KeyProvider, type VaultEntry } from '@airlock/deid';
import type { ColumnPolicy, DatasetPolicy } from '@airlock/policy';
import type { CsvRecord } from './csv-records.ts';
import { deidentifiedColumns } from './dataset-tables.ts';
import { parseCell, type CellValue } from './typed-value.ts';

export interface RejectedRecord {
  record: number;
  line: number;
  column: string | null;
  reason: string;
  raw: string;
}

export interface PreparedBatch {
  /** [_row_id, _subject, _source_id, _record, _content, ...policy columns] */
  restricted: unknown[][];
  /** [_row_id, _subject, ...deidentified columns] */
  deidentified: unknown[][];
  vault: VaultEntry[];
  rejects: RejectedRecord[];
  lastRecord: number;
  /** Records left out because earlier loads hold the same content (set by the caller). */
  duplicates: number;
}

/** How a dataset's rows are identified and transformed; built once per run. */
export interface RowPlan {
  policy: DatasetPolicy;
  /** Index of each policy column in the file's header. */
  headerIndex: ReadonlyMap<string, number>;
  headerWidth: number;
  keys: KeyProvider;
  /** Token domain and case folding of the subject (its own tokenize settings when it has them). */
  subject: { column: string; domain: string; caseFold: boolean } | 'row';
}

/** The subject identity of a dataset policy. */
export function subjectPlan(policy: DatasetPolicy): RowPlan['subject'] {
  if (policy.subject === '_row') return 'row';
  const column = policy.columns.find((c) => c.name === policy.subject);
  const transform = column?.deidentified;
  if (transform?.kind === 'tokenize') return { column: policy.subject, domain: transform.domain, caseFold: transform.caseFold };
  return { column: policy.subject, domain: `subject.${policy.dataset}`, caseFold: false };
}

/**
 * Check, type and transform one batch of records. A record that fails any check is rejected
 * with its line, the column and the reason, and kept (with its raw text) for the rejects table.
 */
export function prepareBatch(plan: RowPlan, deidentifier: Deidentifier, sourceId: number, records: readonly CsvRecord[]): PreparedBatch {
  const deidColumns = deidentifiedColumns(plan.policy).map((c) => c.name);
  const out: PreparedBatch = { restricted: [], deidentified: [], vault: [], rejects: [], lastRecord: 0, duplicates: 0 };
  const subjectTokens = new Map<string, string>();
  for (const record of records) {
    out.lastRecord = record.record;
    const reject = (column: string | null, reason: string): void => {
      out.rejects.push({ record: record.record, line: record.line, column, reason, raw: record.raw });
    };
    if (record.fields.length !== plan.headerWidth) {
      reject(null, `has ${record.fields.length} field(s) but the header has ${plan.headerWidth}`);
      continue;
    }
    const typed: Record<string, CellValue> = {};
    let failure: { column: string; reason: string } | undefined;
    for (const column of plan.policy.columns) {
      const result = checkField(column, record.fields[plan.headerIndex.get(column.name)!] ?? null);
      if (!result.ok) {
        failure = { column: column.name, reason: result.reason };
        break;
      }
      typed[column.name] = result.value;
    }
    if (failure) {
      reject(failure.column, `column "${failure.column}" ${failure.reason}`);
      continue;
    }
    const rowId = randomUUID();
    let subject: string;
    if (plan.subject === 'row') {
      subject = rowId;
    } else {
      const value = typed[plan.subject.column];
      if (value === null || value === undefined) {
        reject(plan.subject.column, `column "${plan.subject.column}" is the subject and may not be empty`);
        continue;
      }
      const key = String(value);
      let token = subjectTokens.get(key);
      if (token === undefined) {
        token = tokenize(plan.keys, { domain: plan.subject.domain, caseFold: plan.subject.caseFold }, normalizeValue(key, plan.subject.caseFold));
        subjectTokens.set(key, token);
      }
      subject = token;
    }
    let deid: ReturnType<Deidentifier['deidentifyRow']>;
    try {
      deid = deidentifier.deidentifyRow(typed, { subjectKey: subject });
    } catch (error) {
      if (error instanceof TransformError) {
        reject(error.column ?? null, error.message);
        continue;
      }
      throw error;
    }
    const values = plan.policy.columns.map((c) => typed[c.name] ?? null);
    out.restricted.push([rowId, subject, sourceId, record.record, contentHash(values), ...values]);
    out.deidentified.push([rowId, subject, ...deidColumns.map((name) => deid.row[name] ?? null)]);
    appendAll(out.vault, deid.vault);
  }
  return out;
}

/**
 * The identity of a record for duplicate detection: sha256 of its typed values in policy order
 * (so the file's column order, quoting, line endings and spacing do not matter; timestamps are
 * compared as instants, booleans and numbers by value).
 */
export function contentHash(values: readonly CellValue[]): string {
  return sha256Hex(canonicalJson(values));
}

function checkField(column: ColumnPolicy, field: string | null): ReturnType<typeof parseCell> {
  if (field === null) return { ok: false, reason: 'contains bytes that are not valid UTF-8' };
  return parseCell(column, field);
}
