import { AirlockError } from '@airlock/core';

/**
 * Opaque page cursors. Rows are ordered by their random `_row_id`, so a cursor reveals nothing
 * about ingest order; it is base64url so callers treat it as opaque.
 */
export function encodeCursor(rowId: string): string {
  return Buffer.from(`r:${rowId}`).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^r:([0-9a-f-]{36})$/.exec(text);
  if (!match) throw new AirlockError('BAD_REQUEST', 'The `after` cursor is not one this API returned; pass `endCursor` from a previous page.');
  return match[1]!;
}
