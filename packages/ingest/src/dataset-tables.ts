import { AirlockError } from '@airlock/core';
import { quoteIdent, type AirlockDatabase, type BulkSession, type TableColumn } from '@airlock/db';
import { deidentifiedRisk, type ColumnPolicy, type DatasetPolicy } from '@airlock/policy';
import { deidentifiedSqlType, sqlType } from './sql-types.ts';

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
 * Make sure both tables exist with the policy's shape. A restricted table whose columns differ
 * from the policy is an error (raw data is never reshaped silently); the deidentified table is
 * re-derived by `rebuild` when its shape changes. Tables are made by the database's named
 * operations (`session.tables`), which run as their owner.
 */
export async function ensureDatasetTables(database: AirlockDatabase, policy: DatasetPolicy): Promise<'created' | 'exists'> {
  return database.bulk('catalog', async (session) => {
    const existing = await tableColumns(session, 'restricted', policy.dataset);
    if (existing.length > 0) {
      const expected = [...Object.values(SYSTEM_COLUMNS), ...policy.columns.map((c) => c.name)].sort();
      if (!existing.includes(SYSTEM_COLUMNS.content)) {
        // Tables made before loads were idempotent by content: add the column; their earlier rows
        // have no content hash and are not matched as duplicates.
        await session.tables.addContentColumn(policy.dataset);
        existing.push(SYSTEM_COLUMNS.content);
      }
      const differs = existing.slice().sort().join('\n') !== expected.join('\n');
      if (differs) {
        throw new AirlockError(
          'CONFLICT',
          `The restricted table of "${policy.dataset}" has columns (${existing.join(', ')}) that differ from its policy. ` +
            'Raw data is never reshaped in place: restore the policy\'s columns, or load the data under a new dataset name.',
        );
      }
      return 'exists';
    }
    await session.tables.create({
      dataset: policy.dataset,
      restricted: restrictedTableColumns(policy),
      deidentified: deidentifiedTableColumns(policy),
      aggregateColumns: aggregateColumns(policy),
    });
    return 'created';
  });
}

async function tableColumns(session: BulkSession, schema: string, table: string): Promise<string[]> {
  const rows = await session.query<{ column_name: string }>(
    // pg_catalog, not information_schema: the latter hides tables the current role cannot read.
    `select a.attname as column_name from pg_attribute a
       join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relname = $2 and a.attnum > 0 and not a.attisdropped
      order by a.attnum`,
    [schema, table],
  );
  return rows.map((r) => r.column_name);
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
