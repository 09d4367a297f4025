import { AirlockError } from '@airlock/core';

/** An ISO 8601 date or timestamp argument as an instant; BAD_REQUEST naming the argument and value. */
export function instantArg(name: string, text: string | null | undefined): Date | undefined {
  if (text === null || text === undefined || text === '') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  const at = new Date(text);
  // Date.parse rolls 2024-02-30 over to March; a calendar check refuses it instead.
  const calendarOk = match !== null && sameCalendarDay(Number(match[1]), Number(match[2]), Number(match[3]));
  const timeOk = match === null || match[4] === undefined || (Number(match[4]) < 24 && Number(match[5]) < 60 && Number(match[6] ?? 0) < 60);
  if (!match || !calendarOk || !timeOk || Number.isNaN(at.getTime())) {
    throw new AirlockError('BAD_REQUEST', `${name}: "${text}" is not an ISO 8601 date or timestamp (e.g. 2026-11-29 or 2026-11-29T10:00:00Z).`);
  }
  return at;
}

function sameCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** `first` (1 to `max`, default 50) and `before` (a positive seq) of an audit page; BAD_REQUEST otherwise. */
export function auditPageArgs(first: number | null | undefined, before: number | null | undefined, max: number): { limit: number; beforeSeq?: number } {
  const limit = first ?? 50;
  if (!Number.isInteger(limit) || limit < 1) throw new AirlockError('BAD_REQUEST', `first: ${limit} must be from 1 to ${max}.`);
  if (before !== null && before !== undefined && (!Number.isInteger(before) || before < 1)) {
    throw new AirlockError('BAD_REQUEST', `before: ${before} must be a positive event seq (the last seq of the previous page).`);
  }
  return { limit: Math.min(limit, max), ...(before ? { beforeSeq: before } : {}) };
}
