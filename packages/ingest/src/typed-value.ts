import type { ColumnPolicy } from '@airlock/policy';

export type CellValue = string | number | boolean | null;

export type ParsedCell = { ok: true; value: CellValue } | { ok: false; reason: string };

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// ISO 8601 date-time: 'T' or space, optional seconds and fraction, optional Z or ±hh:mm offset.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const TRUE = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0']);

/**
 * Check one CSV field against its column's declared type and turn it into a typed value.
 * Empty fields are null (refused unless the column is nullable). Dates must be real calendar
 * dates; timestamps without an offset are taken as UTC and all are normalized to UTC ISO text.
 */
export function parseCell(column: ColumnPolicy, raw: string): ParsedCell {
  const text = raw.trim();
  if (text === '') {
    return column.nullable ? { ok: true, value: null } : { ok: false, reason: 'is empty but the column is not nullable' };
  }
  switch (column.type) {
    case 'string': {
      if (column.values && !column.values.includes(text)) {
        return { ok: false, reason: `"${clip(text)}" is not one of the declared values (${column.values.join(', ')})` };
      }
      return { ok: true, value: text };
    }
    case 'integer': {
      if (!INTEGER.test(text)) return { ok: false, reason: `"${clip(text)}" is not an integer` };
      const value = Number(text);
      if (!Number.isSafeInteger(value)) return { ok: false, reason: `${clip(text)} is outside the safe integer range` };
      return { ok: true, value };
    }
    case 'number': {
      if (!NUMBER.test(text)) return { ok: false, reason: `"${clip(text)}" is not a number` };
      const value = Number(text);
      return Number.isFinite(value) ? { ok: true, value } : { ok: false, reason: `${clip(text)} is not a finite number` };
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (TRUE.has(lower)) return { ok: true, value: true };
      if (FALSE.has(lower)) return { ok: true, value: false };
      return { ok: false, reason: `"${clip(text)}" is not a boolean (true/false, yes/no, 1/0)` };
    }
    case 'date': {
      const match = DATE.exec(text);
      if (!match || !isCalendarDate(+match[1]!, +match[2]!, +match[3]!)) {
        return { ok: false, reason: `"${clip(text)}" is not a calendar date in YYYY-MM-DD form` };
      }
      return { ok: true, value: text };
    }
    case 'timestamp': {
      // A bare date is midnight UTC of that day.
      const match = TIMESTAMP.exec(DATE.test(text) ? `${text}T00:00:00Z` : text);
      if (!match || !isCalendarDate(+match[1]!, +match[2]!, +match[3]!) || +match[4]! > 23 || +match[5]! > 59 || +(match[6] ?? 0) > 59) {
        return { ok: false, reason: `"${clip(text)}" is not an ISO 8601 timestamp (e.g. 2024-03-10T14:30:00Z)` };
      }
      const zone = match[8] ? normalizeOffset(match[8]) : 'Z';
      const iso = `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6] ?? '00'}${match[7] ? match[7].slice(0, 4) : ''}${zone}`;
      const instant = new Date(iso);
      if (Number.isNaN(instant.getTime())) return { ok: false, reason: `"${clip(text)}" is not a valid timestamp` };
      return { ok: true, value: instant.toISOString() };
    }
  }
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= last;
}

function normalizeOffset(zone: string): string {
  if (zone.toUpperCase() === 'Z') return 'Z';
  const digits = zone.replace(':', '');
  return `${digits.slice(0, 3)}:${digits.slice(3)}`;
}

/** Long values are cut in messages: a reason must not become a copy of the data. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
