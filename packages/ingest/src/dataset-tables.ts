import { AirlockError } from '@airlock/core';
import { quoteIdent, type AirlockDatabase, type BulkSession, type ColumnSqlType, type TableColumn } from '@airlock/db';
import { deidentifiedRisk, type ColumnPolicy, type DatasetPolicy } from '@airlock/policy';
import { deidentifiedSqlType, sqlType } from './sql-types.ts';
import { planTableChange, type LoadedColumn } from './table-change.ts';

/**
 * Each dataset has `restricted.<dataset>` (raw rows as ingested, plus the subject's token) and
 * `deidentified.<dataset>` (the policy's transforms applied). Both carry `_row_id`, a random
 * UUID: it links a deidentified row to its restricted row for rebuilds, and, being random, it
 * reveals nothing about file order (a sequential id would leak the order of events inside a
 * generalized month). `_source_id` and `_record` (position in the loaded file) stay restricted.
 */
export const SYSTEM_COLUMNS = {
  rowId: '_row_id',
  subject: '_subject',
  sourceId: '_source_id',
  record: '_record',
  /** sha256 of the record's normalized values in policy order: loads are idempotent by content. */
  content: '_content',
} as const;

export function restrictedTable(dataset: string): string {
  return `restricted.${dataset}`;
}

export function deidentifiedTable(dataset: string): string {
  return `deidentified.${dataset}`;
}

/** Columns present in the deidentified zone, in policy order. */
export function deidentifiedColumns(policy: DatasetPolicy): ColumnPolicy[] {
  return policy.columns.filter((c) => deidentifiedSqlType(c) !== null);
}

/** The restricted table's policy columns (after the system columns), typed as ingested. */
export function restrictedTableColumns(policy: DatasetPolicy): TableColumn[] {
  return policy.columns.map((c) => ({ name: c.name, type: sqlType(c.type), notNull: !c.nullable }));
}

/**
 * The deidentified table's columns (after `_row_id` and `_subject`). A quasi-identifier the risk
 * search may generalize is text.
 */
export function deidentifiedTableColumns(policy: DatasetPolicy): TableColumn[] {
  const generalized = new Set(deidentifiedRisk(policy)?.quasiIdentifiers ?? []);
  return deidentifiedColumns(policy).map((c) => ({ name: c.name, type: deidentifiedSqlType(c, generalized.has(c.name))! }));
}

/**
 * Columns of the restricted table the aggregate role may SELECT: the row id, the subject token,
 * the dimensions, the date columns and the measures — never a direct identifier (DESIGN.md,
 * zone `aggregate`). Null when the policy has no aggregate zone.
 */
export function aggregateColumns(policy: DatasetPolicy): string[] | null {
  const zone = policy.zones.aggregate;
  if (!zone) return null;
  // _row_id (random) orders a subject's rows for contribution bounding.
  return [SYSTEM_COLUMNS.rowId, SYSTEM_COLUMNS.subject, ...new Set([...zone.dimensions, ...zone.dateColumns, ...zone.measures.map((m) => m.column)])];
}

/**
 * Make sure both tables exist with the policy's shape. An existing restricted table is reshaped
 * as {@link planTableChange} allows (columns added empty, retired, or required) and never
 * rewritten; a change it refuses is an error naming the column and the fix. The deidentified table
 * is re-derived by its caller. Tables are made by the database's named operations
 * (`session.tables`), which run as their owner. Runs in the caller's transaction.
 */
export async function ensureDatasetTablesIn(session: BulkSession, policy: DatasetPolicy, options: { create?: boolean } = {}): Promise<'created' | 'reshaped' | 'exists' | 'absent'> {
  const existing = await restrictedShape(session, policy.dataset);
  if (existing === null) {
    if (options.create === false) return 'absent';
    await session.tables.create({
      dataset: policy.dataset,
      restricted: restrictedTableColumns(policy),
      deidentified: deidentifiedTableColumns(policy),
      aggregateColumns: aggregateColumns(policy),
    });
    return 'created';
  }
  if (!existing.hasContent) {
    // Tables made before loads were idempotent by content: add the column; their earlier rows
    // have no content hash and are not matched as duplicates.
    await session.tables.addContentColumn(policy.dataset);
  }
  const change = planTableChange(policy, await withNullCounts(session, policy, existing.columns), existing.rows);
  if (change.kind === 'refuse') {
    throw new AirlockError('CONFLICT', `The policy of "${policy.dataset}" does not fit its loaded data:\n${change.reasons.map((r) => `  - ${r}`).join('\n')}`, {
      details: { dataset: policy.dataset, reasons: change.reasons },
    });
  }
  if (change.kind === 'none') return 'exists';
  await session.tables.reshapeRestricted({ dataset: policy.dataset, add: change.add, relax: change.relax, require: change.require });
  return 'reshaped';
}

/** {@link ensureDatasetTablesIn} in a transaction of its own. */
export async function ensureDatasetTables(database: AirlockDatabase, policy: DatasetPolicy): Promise<'created' | 'reshaped' | 'exists' | 'absent'> {
  return database.bulk('restricted', (session) => ensureDatasetTablesIn(session, policy));
}

const SQL_TYPES: Record<string, ColumnSqlType> = {
  text: 'text',
  bigint: 'bigint',
  integer: 'integer',
  'double precision': 'double precision',
  boolean: 'boolean',
  date: 'date',
  'timestamp with time zone': 'timestamptz',
};

/** The restricted table's policy columns (system columns left out) and row count; null when there is no table. */
async function restrictedShape(session: BulkSession, dataset: string): Promise<{ columns: LoadedColumn[]; rows: number; hasContent: boolean } | null> {
  const rows = await session.query<{ name: string; type: string; not_null: boolean }>(
    // pg_catalog, not information_schema: the latter hides tables the current role cannot read.
    `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null from pg_attribute a
       join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'restricted' and c.relname = $1 and a.attnum > 0 and not a.attisdropped
      order by a.attnum`,
    [dataset],
  );
  if (rows.length === 0) return null;
  const system = new Set<string>(Object.values(SYSTEM_COLUMNS));
  const columns = rows
    .filter((r) => !system.has(r.name))
    .map((r) => ({ name: r.name, type: SQL_TYPES[r.type] ?? (r.type as ColumnSqlType), notNull: r.not_null }));
  await session.setRole('restricted');
  const [count] = await session.query<{ n: number }>(`select count(*)::int as n from restricted.${quoteIdent(dataset)}`);
  return { columns, rows: Number(count?.n ?? 0), hasContent: rows.some((r) => r.name === SYSTEM_COLUMNS.content) };
}

/** Count empty values in the loaded columns the policy would newly require. */
async function withNullCounts(session: BulkSession, policy: DatasetPolicy, columns: LoadedColumn[]): Promise<LoadedColumn[]> {
  const required = new Set(policy.columns.filter((c) => !c.nullable).map((c) => c.name));
  const check = columns.filter((c) => !c.notNull && required.has(c.name));
  if (check.length === 0) return columns;
  const [counts] = await session.query<Record<string, number>>(
    `select ${check.map((c, i) => `count(*) filter (where ${quoteIdent(c.name)} is null)::int as n${i}`).join(', ')} from restricted.${quoteIdent(policy.dataset)}`,
  );
  return columns.map((c) => {
    const i = check.indexOf(c);
    return i < 0 ? c : { ...c, nulls: Number(counts?.[`n${i}`] ?? 0) };
  });
}

/** Rows in a dataset's restricted table; 0 when it does not exist yet. */
export async function datasetRowCount(database: AirlockDatabase, dataset: string): Promise<number> {
  return database.bulk('restricted', async (session) => {
    const [exists] = await session.query<{ found: boolean }>(
      `select exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'restricted' and c.relname = $1) as found`,
      [dataset],
    );
    if (!exists?.found) return 0;
    const [row] = await session.query<{ n: number }>(`select count(*)::int as n from restricted.${quoteIdent(dataset)}`);
    return Number(row?.n ?? 0);
  });
}
