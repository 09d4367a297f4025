import { AirlockError } from '@airlock/core';

/**
 * Opaque page cursors. By default rows are ordered by their random `_row_id`, so a cursor reveals
 * nothing about ingest order. Sorted pages carry the sort column's value of the last row too
 * (keyset paging). Either way the cursor is base64url, so callers treat it as opaque.
 */
export interface Cursor {
  readonly rowId: string;
  /** Sorted pages: the column sorted on and the last row's value in it. */
  readonly sort?: { readonly column: string; readonly value: unknown } | undefined;
}

const ROW_ID = /^[0-9a-f-]{36}$/u;

export function encodeCursor(cursor: Cursor): string {
  const text = cursor.sort === undefined ? `r:${cursor.rowId}` : `s:${JSON.stringify([cursor.sort.column, cursor.sort.value, cursor.rowId])}`;
  return Buffer.from(text).toString('base64url');
}

export function decodeCursor(encoded: string): Cursor {
  const text = Buffer.from(encoded, 'base64url').toString('utf8');
  const plain = /^r:([0-9a-f-]{36})$/u.exec(text);
  if (plain) return { rowId: plain[1]! };
  if (text.startsWith('s:')) {
    try {
      const [column, value, rowId] = JSON.parse(text.slice(2)) as [unknown, unknown, unknown];
      if (typeof column === 'string' && typeof rowId === 'string' && ROW_ID.test(rowId) && (value === null || ['string', 'number', 'boolean'].includes(typeof value))) {
        return { rowId, sort: { column, value } };
      }
    } catch {
      // falls through to the error below
    }
  }
  throw new AirlockError('BAD_REQUEST', 'The `after` cursor is not one this API returned; pass `endCursor` from a previous page.');
}
