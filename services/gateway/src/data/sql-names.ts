import type { RecordZone } from '@airlock/core';
import { quoteIdent } from '@airlock/db';

/**
 * GraphQL names for columns: GraphQL allows only [_A-Za-z][_0-9A-Za-z]*, while policy columns may
 * contain hyphens (UCI Adult's `marital-status`). The mapping is one-way and checked for
 * collisions when the schema is built.
 */
export function graphqlName(column: string): string {
  const name = column.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** `schema.table` for a zone's table of a dataset, quoted. */
export function zoneTable(zone: RecordZone, dataset: string): string {
  return `${zone}.${quoteIdent(dataset)}`;
}

export { quoteIdent };
