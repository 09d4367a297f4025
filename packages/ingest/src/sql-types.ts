import type { ColumnSqlType } from '@airlock/db';
import type { ColumnPolicy, ColumnType, DeidTransform } from '@airlock/policy';

/** PostgreSQL type of a restricted column. */
export function sqlType(type: ColumnType): ColumnSqlType {
  switch (type) {
    case 'string':
      return 'text';
    case 'integer':
      return 'bigint';
    case 'number':
      return 'double precision';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'timestamp':
      return 'timestamptz';
  }
}

/**
 * PostgreSQL type of a column in the deidentified zone, after its transform; null when dropped.
 * A quasi-identifier the risk search may generalize (`generalized`) is text.
 */
export function deidentifiedSqlType(column: ColumnPolicy, generalized = false): ColumnSqlType | null {
  const transform: DeidTransform = column.deidentified;
  if (generalized && transform.kind !== 'drop') return 'text';
  switch (transform.kind) {
    case 'drop':
      return null;
    case 'keep':
    case 'shift':
    case 'clamp':
    case 'grid':
      return sqlType(column.type);
    case 'tokenize':
    case 'surrogate':
    case 'generalize':
    case 'truncate':
    case 'bucket':
      return 'text';
    case 'age':
      return 'integer';
  }
}
