import { AirlockError } from '@airlock/core';
import { quoteIdent, type AirlockDatabase, type BulkSession } from '@airlock/db';
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

/** DDL for the restricted table. */
export function restrictedDdl(policy: DatasetPolicy): string {
  const columns = policy.columns.map((c) => `${quoteIdent(c.name)} ${sqlType(c.type)}${c.nullable ? '' : ' not null'}`);
  return `create table ${qualified(restrictedTable(policy.dataset))} (
    _row_id uuid primary key,
    _subject text not null,
    _source_id bigint not null,
    _record integer not null,
    _content text,
    ${columns.join(',\n    ')},
    unique (_source_id, _record)
  )`;
}

/** The index duplicate detection looks records up by. */
export function contentIndexDdl(policy: DatasetPolicy): string {
  return `create index if not exists ${quoteIdent(`${policy.dataset}_content`)} on ${qualified(restrictedTable(policy.dataset))} (_content)`;
}

/** DDL for the deidentified table. */
export function deidentifiedDdl(policy: DatasetPolicy): string {
  const generalized = new Set(deidentifiedRisk(policy)?.quasiIdentifiers ?? []);
  const columns = deidentifiedColumns(policy).map((c) => `${quoteIdent(c.name)} ${deidentifiedSqlType(c, generalized.has(c.name))}`);
  return `create table ${qualified(deidentifiedTable(policy.dataset))} (
    _row_id uuid primary key,
    _subject text not null${columns.length ? ',\n    ' + columns.join(',\n    ') : ''}
  )`;
}

/**
 * Column-level SELECT for the aggregate role: the row id, the subject token, the dimensions, the date
 * columns and the measures — never a direct identifier (DESIGN.md, zone `aggregate`).
 */
export function aggregateGrant(policy: DatasetPolicy): string | null {
  const zone = policy.zones.aggregate;
  if (!zone) return null;
  // _row_id (random) orders a subject's rows for contribution bounding.
  const columns = [SYSTEM_COLUMNS.rowId, SYSTEM_COLUMNS.subject, ...new Set([...zone.dimensions, ...zone.dateColumns, ...zone.measures.map((m) => m.column)])];
  return `grant select (${columns.map(quoteIdent).join(', ')}) on ${qualified(restrictedTable(policy.dataset))} to airlock_aggregate`;
}

/**
 * Make sure both tables exist with the policy's shape. A restricted table whose columns differ
 * from the policy is an error (raw data is never reshaped silently); the deidentified table is
 * re-derived by `rebuild` when its shape changes.
 */
export async function ensureDatasetTables(database: AirlockDatabase, policy: DatasetPolicy): Promise<'created' | 'exists'> {
  return database.bulk('catalog', async (session) => {
    const existing = await tableColumns(session, 'restricted', policy.dataset);
    if (existing.length > 0) {
      const expected = [...Object.values(SYSTEM_COLUMNS), ...policy.columns.map((c) => c.name)].sort();
      if (!existing.includes(SYSTEM_COLUMNS.content)) {
        // Tables made before loads were idempotent by content: add the column; their earlier rows
        // have no content hash and are not matched as duplicates.
        await session.setRole('owner');
        await session.query(`alter table ${qualified(restrictedTable(policy.dataset))} add column if not exists _content text`);
        await session.query(contentIndexDdl(policy));
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
    await session.setRole('owner');
    await session.query(restrictedDdl(policy));
    await session.query(contentIndexDdl(policy));
    await session.query(deidentifiedDdl(policy));
    const grant = aggregateGrant(policy);
    if (grant) await session.query(grant);
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

function qualified(table: string): string {
  return table.split('.').map(quoteIdent).join('.');
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
