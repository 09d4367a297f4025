import { AirlockError, civilFromDays } from '@airlock/core';
import type { SynthColumn, SynthColumnKind, SynthRow, SynthValue } from './types.ts';

export const MS_PER_DAY = 86_400_000;

/** Column kinds modelled as numbers (dates as days since 1970, timestamps as milliseconds). */
export type NumericKind = 'numeric' | 'integer' | 'date' | 'timestamp';
/** Column kinds modelled as a finite set of values. */
export type DiscreteKind = 'categorical' | 'boolean';

export function isNumericKind(kind: SynthColumnKind): kind is NumericKind {
  return kind === 'numeric' || kind === 'integer' || kind === 'date' || kind === 'timestamp';
}

/**
 * One column read out of row objects. Discrete values are strings (booleans as `'true'`/`'false'`)
 * and null; numeric values are numbers with NaN standing for null, so reports and the generator
 * share one reading of every cell.
 */
export type ColumnData =
  | { readonly kind: 'discrete'; readonly column: SynthColumn; readonly values: readonly (string | null)[] }
  | { readonly kind: 'numeric'; readonly column: SynthColumn; readonly values: Float64Array };

/** Read one non-identifier column; throws BAD_REQUEST naming the row and column on a bad cell. */
export function readColumn(rows: readonly SynthRow[], column: SynthColumn): ColumnData {
  if (isNumericKind(column.kind)) {
    const values = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = toNumber(rows[i]![column.name], column, i);
    return { kind: 'numeric', column, values };
  }
  const values: (string | null)[] = new Array<string | null>(rows.length);
  for (let i = 0; i < rows.length; i++) values[i] = toDiscrete(rows[i]![column.name], column, i);
  return { kind: 'discrete', column, values };
}

/** Columns the reports and the model look at: every column except identifiers. */
export function modelledColumns(columns: readonly SynthColumn[]): SynthColumn[] {
  return columns.filter((column) => column.kind !== 'identifier');
}

function toNumber(value: SynthValue | undefined, column: SynthColumn, row: number): number {
  if (value === null || value === undefined || value === '') return Number.NaN;
  let parsed: number;
  if (column.kind === 'date') parsed = typeof value === 'string' ? Date.parse(`${value.slice(0, 10)}T00:00:00Z`) / MS_PER_DAY : Number.NaN;
  else if (column.kind === 'timestamp') parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  else parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(parsed)) {
    throw new AirlockError(
      'BAD_REQUEST',
      `Column "${column.name}" is ${column.kind} but row ${row} holds ${JSON.stringify(value)}; fix the value or declare the column categorical.`,
    );
  }
  return parsed;
}

function toDiscrete(value: SynthValue | undefined, column: SynthColumn, row: number): string | null {
  if (value === null || value === undefined) return null;
  if (column.kind === 'boolean') {
    if (value === true || value === 'true') return 'true';
    if (value === false || value === 'false') return 'false';
    throw new AirlockError(
      'BAD_REQUEST',
      `Column "${column.name}" is boolean but row ${row} holds ${JSON.stringify(value)}; use true, false or null.`,
    );
  }
  return String(value);
}

/** A modelled number back to the column's representation (integers and dates rounded). */
export function formatNumber(kind: NumericKind, value: number): SynthValue {
  if (Number.isNaN(value)) return null;
  switch (kind) {
    case 'numeric':
      return value;
    case 'integer':
      return Math.round(value);
    case 'date':
      return isoDate(Math.round(value));
    case 'timestamp':
      return isoTimestamp(Math.round(value));
  }
}

/**
 * `YYYY-MM-DD` of a day number (days since 1970-01-01), without a Date object per cell (100k rows
 * × several date columns). Years outside 1000–9999 go through Date for its sign and padding rules.
 */
function isoDate(days: number): string {
  const [year, month, day] = civilFromDays(days);
  if (year < 1000 || year > 9999) return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
  return `${year}-${pad(month, 2)}-${pad(day, 2)}`;
}

function isoTimestamp(ms: number): string {
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${isoDate(days)}T${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(rest - seconds * 1000, 3)}Z`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** A discrete code back to the column's representation (booleans as booleans). */
export function formatDiscrete(kind: DiscreteKind, value: string | null): SynthValue {
  if (value === null) return null;
  return kind === 'boolean' ? value === 'true' : value;
}

/**
 * One string per row over the given columns, equal exactly when the rows are equal cell by cell
 * (after reading, so `39` and `'39'` in an integer column agree). Used for exact-match counting.
 */
export function rowKeys(data: readonly ColumnData[], rows: number): string[] {
  const keys = new Array<string>(rows);
  for (let i = 0; i < rows; i++) {
    let key = '';
    for (const column of data) {
      const value = column.values[i];
      // \u0001 cannot occur in a number's text and is vanishingly unlikely in a category; null is \u0002.
      key += (value === null || (typeof value === 'number' && Number.isNaN(value)) ? '\u0002' : String(value)) + '\u0001';
    }
    keys[i] = key;
  }
  return keys;
}
