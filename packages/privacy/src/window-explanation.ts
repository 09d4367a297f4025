import type { DateGrain } from '@airlock/core';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const PLURAL: Record<DateGrain, string> = { day: 'days', week: 'weeks', month: 'months', quarter: 'quarters', year: 'years' };

/** What the caller asked for and what the window became. */
export interface WindowChange {
  requestedFrom: string | undefined;
  requestedTo: string | undefined;
  from: string | null;
  to: string | null;
  /** The grain the window was aligned to. */
  grain: DateGrain;
  /** The grain the caller bucketed by (finer than `grain` when the policy's finest grain overrode it). */
  bucketGrain: DateGrain;
}

/**
 * The widening of a window in words an analyst reads, or null when nothing moved: each bound that
 * moved, from where to where and why, e.g. "from 1999-01-01 (a Friday) was moved back to
 * 1998-12-28, the Monday its week starts; …: weeks are released whole so that two windows one day
 * apart cannot isolate a day's people." Names the grain when the policy's finest grain, not the
 * bucket grain, decided it. Built from the query and the policy only.
 */
export function explainWindow(change: WindowChange): string | null {
  const { grain, bucketGrain } = change;
  const moves: string[] = [];
  if (change.requestedFrom !== undefined && change.from !== null && change.from !== change.requestedFrom) {
    moves.push(`from ${change.requestedFrom}${dayName(change.requestedFrom, grain)} was moved back to ${change.from}, ${startOf(grain)}`);
  }
  if (change.requestedTo !== undefined && change.to !== null && change.to !== change.requestedTo) {
    moves.push(`to ${change.requestedTo}${dayName(change.requestedTo, grain)} was moved forward to ${change.to}, ${endOf(grain)}`);
  }
  const overridden = grain !== bucketGrain;
  if (moves.length === 0 && !overridden) return null;
  const why = `${PLURAL[grain]} are released whole so that two windows one day apart cannot isolate a day's people`;
  const policy = overridden ? `The window is aligned to whole ${PLURAL[grain]}, the policy's finest date grain, not to the ${PLURAL[bucketGrain]} you bucket by` : '';
  if (moves.length === 0) return `${policy}; it already was: ${why}.`;
  return `${policy ? `${policy}: ` : ''}${moves.join('; ')}: ${why}.`;
}

/** " (a Friday)" for weeks, where the weekday is what decides the move; nothing otherwise. */
function dayName(date: string, grain: DateGrain): string {
  if (grain !== 'week') return '';
  return ` (a ${WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]})`;
}

function startOf(grain: DateGrain): string {
  return grain === 'week' ? 'the Monday its week starts' : `the first day of its ${grain}`;
}

function endOf(grain: DateGrain): string {
  return grain === 'week' ? 'the Sunday its week ends' : `the last day of its ${grain}`;
}
