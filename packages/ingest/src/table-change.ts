import type { ColumnSqlType, TableColumn } from '@airlock/db';
import type { ColumnPolicy, DatasetPolicy } from '@airlock/policy';
import { sqlType } from './sql-types.ts';

/** A policy column of a loaded restricted table, as the database has it. */
export interface LoadedColumn {
  name: string;
  type: ColumnSqlType;
  notNull: boolean;
  /** Rows loaded with no value here (counted only where the new policy would require one). */
  nulls?: number;
}

/** What the loaded restricted table needs before it can serve a policy version. */
export type TableChange =
  | { kind: 'none' }
  | {
      kind: 'reshape';
      /** New columns, added empty (rows loaded before have no value for them). */
      add: TableColumn[];
      /** Columns that stop being required (newly nullable, or retired). */
      relax: string[];
      /** Columns that become required; no loaded row is empty there. */
      require: string[];
      /** Columns the policy no longer names: their raw values stay restricted, no open zone shows them. */
      retired: string[];
    }
  | { kind: 'refuse'; reasons: string[] };

/**
 * Compare a dataset policy with its loaded restricted table (`loaded`: the policy columns it has,
 * system columns left out) and decide what the table needs. Raw values are never rewritten or
 * re-typed: an added column must be nullable, a retyped column is refused, a column that becomes
 * required must have a value in every loaded row. Pure.
 */
export function planTableChange(policy: DatasetPolicy, loaded: readonly LoadedColumn[], rows: number): TableChange {
  const have = new Map(loaded.map((c) => [c.name, c]));
  const reasons: string[] = [];
  const add: TableColumn[] = [];
  const relax: string[] = [];
  const require: string[] = [];
  for (const column of policy.columns) {
    const existing = have.get(column.name);
    const wanted = sqlType(column.type);
    if (!existing) {
      if (!column.nullable && rows > 0) {
        reasons.push(newRequiredColumn(policy, column, rows));
        continue;
      }
      add.push({ name: column.name, type: wanted });
      // An empty table can require it at once.
      if (!column.nullable) require.push(column.name);
      continue;
    }
    if (!sameType(existing.type, wanted)) {
      reasons.push(
        `${where(column)}: column "${column.name}" holds ${existing.type} values in the ${rows} loaded row(s); the policy now says type ${column.type} (${wanted}). ` +
          `Loaded raw values are never re-typed: keep its type, or declare the values under a new column name and leave "${column.name}" out of the policy (its values stay restricted), or load the data as a new dataset.`,
      );
      continue;
    }
    if (existing.notNull && column.nullable) relax.push(column.name);
    if (!existing.notNull && !column.nullable) {
      const empty = existing.nulls ?? 0;
      if (empty > 0) {
        reasons.push(
          `${where(column)}: column "${column.name}" is now required (no \`nullable: true\`), but ${empty} loaded row(s) have no value there. ` +
            'Keep `nullable: true`, or remove those rows (`airlock remove`) and apply again.',
        );
      } else {
        require.push(column.name);
      }
    }
  }
  const named = new Set(policy.columns.map((c) => c.name));
  const retired = loaded.filter((c) => !named.has(c.name));
  for (const column of retired) if (column.notNull) relax.push(column.name);
  if (reasons.length > 0) return { kind: 'refuse', reasons };
  if (add.length === 0 && relax.length === 0 && require.length === 0) return { kind: 'none' };
  return { kind: 'reshape', add, relax, require, retired: retired.map((c) => c.name) };
}

function newRequiredColumn(policy: DatasetPolicy, column: ColumnPolicy, rows: number): string {
  return (
    `${where(column)}: column "${column.name}" is new, and the ${rows} row(s) already loaded into "${policy.dataset}" have no value for it. ` +
    'Declare it `nullable: true` (loaded rows keep it empty; new files fill it), or load the data as a new dataset.'
  );
}

function where(column: ColumnPolicy): string {
  return `${column.position.file}:${column.position.line}:${column.position.column}`;
}

/** `integer` columns of tables made by earlier versions hold what `bigint` holds now. */
function sameType(have: ColumnSqlType, wanted: ColumnSqlType): boolean {
  const widen = (t: ColumnSqlType): ColumnSqlType => (t === 'integer' ? 'bigint' : t);
  return widen(have) === widen(wanted);
}
