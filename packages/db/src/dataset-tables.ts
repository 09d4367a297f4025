import type { DbRole } from './roles.ts';

/** PostgreSQL types a dataset table's columns may have (the database refuses any other). */
export type ColumnSqlType = 'text' | 'bigint' | 'integer' | 'double precision' | 'boolean' | 'date' | 'timestamptz';

/** One column of a dataset table, after the system columns. */
export interface TableColumn {
  name: string;
  type: ColumnSqlType;
  /** NOT NULL (restricted tables only: a policy column that is not nullable). */
  notNull?: boolean;
}

/**
 * The owner's table changes the application may ask for, by name. Each is a SECURITY DEFINER
 * function owned by `airlock_owner` (migration 0008) that quotes every identifier and checks every
 * type, run inside the caller's transaction, so a failure rolls it back with the rest. There is
 * no role switch to the owner: these are the only DDL the application can cause.
 */
export interface DatasetTables {
  /**
   * Create `restricted.<dataset>` (system columns `_row_id`, `_subject`, `_source_id`, `_record`,
   * `_content`, then `restricted`, unique per load and record, with an index on `_content`),
   * `deidentified.<dataset>` (`_row_id`, `_subject`, then `deidentified`), and grant the aggregate
   * role SELECT on `aggregateColumns` of the restricted table (none when null).
   */
  create(spec: { dataset: string; restricted: readonly TableColumn[]; deidentified: readonly TableColumn[]; aggregateColumns: readonly string[] | null }): Promise<void>;
  /** Add `_content` and its index to a restricted table made before loads were idempotent. */
  addContentColumn(dataset: string): Promise<void>;
  /**
   * Reshape `restricted.<dataset>` for a new policy version without rewriting a row: add columns
   * (nullable, empty in the rows already loaded), drop NOT NULL from `relax`, set it on `require`
   * (refused by PostgreSQL, code 23502, while a row is empty there).
   */
  reshapeRestricted(spec: { dataset: string; add: readonly TableColumn[]; relax: readonly string[]; require: readonly string[] }): Promise<void>;
  /** Drop and recreate `deidentified.<dataset>` in a new shape; re-grant the aggregate columns. */
  replaceDeidentified(spec: { dataset: string; columns: readonly TableColumn[]; aggregateColumns: readonly string[] | null }): Promise<void>;
  /** Drop a dataset's restricted, deidentified and synthetic tables. */
  drop(dataset: string): Promise<void>;
  /** Drop and recreate `synthetic.<dataset>` (`_row_id`, `_release_id`, then `columns`). */
  replaceSynthetic(spec: { dataset: string; columns: readonly TableColumn[] }): Promise<void>;
}

/** Runs one statement as `role` inside the open transaction, then returns to the role before. */
export type RunAs = (role: DbRole, text: string, params: readonly unknown[]) => Promise<void>;

/** {@link DatasetTables} over a session that can run a statement as a zone role. */
export function datasetTables(runAs: RunAs): DatasetTables {
  const json = (columns: readonly TableColumn[]): string =>
    JSON.stringify(columns.map((c) => ({ name: c.name, type: c.type, notNull: c.notNull ?? false })));
  const names = (columns: readonly string[] | null): string[] | null => (columns ? [...columns] : null);
  // The data owner's zone may call the dataset functions; the synthetic zone its own.
  return {
    create: (spec) =>
      runAs('restricted', 'select restricted.create_dataset_tables($1, $2::jsonb, $3::jsonb, $4::text[])', [
        spec.dataset,
        json(spec.restricted),
        json(spec.deidentified),
        names(spec.aggregateColumns),
      ]),
    reshapeRestricted: (spec) =>
      runAs('restricted', 'select restricted.reshape_restricted_table($1, $2::jsonb, $3::text[], $4::text[])', [
        spec.dataset,
        json(spec.add.map((c) => ({ ...c, notNull: false }))),
        [...spec.relax],
        [...spec.require],
      ]),
    addContentColumn: (dataset) => runAs('restricted', 'select restricted.add_content_column($1)', [dataset]),
    replaceDeidentified: (spec) =>
      runAs('restricted', 'select restricted.replace_deidentified_table($1, $2::jsonb, $3::text[])', [spec.dataset, json(spec.columns), names(spec.aggregateColumns)]),
    drop: (dataset) => runAs('restricted', 'select restricted.drop_dataset_tables($1)', [dataset]),
    replaceSynthetic: (spec) => runAs('synthetic', 'select synthetic.replace_synthetic_table($1, $2::jsonb)', [spec.dataset, json(spec.columns)]),
  };
}
