import { AirlockError, grainFinerThan, type DateGrain } from '@airlock/core';
import { dateBucketStart, generalizeDate } from '@airlock/deid';
import { nextBucketStart } from './budget-period.ts';
import { explainWindow } from './window-explanation.ts';

/** A date window widened to whole periods: `from` and `to` inclusive, YYYY-MM-DD. */
export interface AlignedWindow {
  from: string | null;
  to: string | null;
  /** True when the caller's bounds were moved out to period boundaries. */
  widened: boolean;
  /** The grain the bounds were aligned to. */
  grain: DateGrain;
  /**
   * How and why the bounds moved, in words (see {@link explainWindow}); null when they did not and
   * the bucket grain applied.
   */
  explanation: string | null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_PERIODS = 5000;

/**
 * Widen `from` back to the start of its period and `to` forward to the end of its period, at the
 * coarser of the bucket grain and the policy's finest grain. A window that ends mid-week would
 * otherwise let two queries that differ by one day isolate one day's people (differencing).
 */
export function alignWindow(from: string | undefined, to: string | undefined, grain: DateGrain, finest: DateGrain): AlignedWindow {
  const g = grainFinerThan(grain, finest) ? finest : grain;
  if (from !== undefined) checkDate(from, 'from');
  if (to !== undefined) checkDate(to, 'to');
  // Compared before widening: two days of one month in the wrong order are still an empty window.
  if (from !== undefined && to !== undefined && from > to) {
    throw new AirlockError('BAD_REQUEST', `The window from ${from} to ${to} is empty: "from" must not be after "to".`);
  }
  const start = from === undefined ? null : dateBucketStart(from, g);
  const end = to === undefined ? null : previousDay(nextBucketStart(dateBucketStart(to, g), g));
  const widened = (start !== null && start !== from) || (end !== null && end !== to);
  const explanation = explainWindow({ requestedFrom: from, requestedTo: to, from: start, to: end, grain: g, bucketGrain: grain });
  return { from: start, to: end, widened, grain: g, explanation };
}

/** Labels of every `grain` bucket that meets the window [from, to], in order. */
export function periodsIn(from: string, to: string, grain: DateGrain): string[] {
  const labels: string[] = [];
  for (let start = dateBucketStart(from, grain); start <= to; start = nextBucketStart(start, grain)) {
    labels.push(generalizeDate(start, grain));
    if (labels.length > MAX_PERIODS) {
      throw new AirlockError('BAD_REQUEST', `The window from ${from} to ${to} holds more than ${MAX_PERIODS} ${grain} periods; use a coarser grain or a shorter window.`);
    }
  }
  return labels;
}

function checkDate(value: string, name: string): string {
  const match = DATE.exec(value);
  const valid =
    match !== null &&
    (() => {
      const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
      const date = new Date(Date.UTC(y, m - 1, d));
      return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
    })();
  if (!valid) throw new AirlockError('BAD_REQUEST', `"${name}" is "${value}", which is not a calendar date; write YYYY-MM-DD, e.g. 2024-03-01.`);
  return value;
}

function previousDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
