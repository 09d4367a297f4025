import type { ColumnPolicy, ColumnType } from './model.ts';

/**
 * The type a column has in the deidentified zone, after its transform; undefined when the column
 * is dropped. Tokens, surrogates, generalized dates (`2024-03`, `2024-W11`), bucket labels
 * (`[3,7)`) and truncated ZIPs are strings; ages are integers; shifted dates and clamped numbers
 * keep their type. With `generalized` (a quasi-identifier of a zone with risk targets, see
 * deidentifiedRisk) every published column is a string.
 */
export function deidentifiedType(column: Pick<ColumnPolicy, 'type' | 'deidentified'>, generalized = false): ColumnType | undefined {
  // A quasi-identifier the risk search may coarsen holds labels (`40-49`, `2024-Q1`, `*`).
  if (generalized && column.deidentified.kind !== 'drop') return 'string';
  switch (column.deidentified.kind) {
    case 'drop':
      return undefined;
    case 'keep':
    case 'shift':
    case 'clamp':
    case 'grid':
      return column.type;
    case 'tokenize':
    case 'surrogate':
    case 'generalize':
    case 'truncate':
    case 'bucket':
      return 'string';
    case 'age':
      return 'integer';
  }
}
