import { AirlockError } from '@airlock/core';

/**
 * A value a transform cannot handle (a malformed date, an invalid ZIP, a birth after the reference
 * date). The ingest turns it into a rejected row, so its code is `INGEST_ROW_REJECTED`.
 *
 * `column` is undefined when a single-value function (e.g. {@link truncateZip}) throws; the row
 * deidentifier re-throws with the column set. `reason` never contains the value itself: rejection
 * reasons land in logs and ingest reports, and the value may be an identifier. The ingest knows the
 * row number, which is enough for the data owner to find it.
 */
export class TransformError extends AirlockError {
  readonly column: string | undefined;
  readonly reason: string;

  constructor(problem: { column?: string | undefined; reason: string }, options: { cause?: unknown } = {}) {
    const where = problem.column === undefined ? '' : `column "${problem.column}": `;
    super('INGEST_ROW_REJECTED', `${where}${problem.reason}`, {
      cause: options.cause,
      details: problem.column === undefined ? { reason: problem.reason } : { column: problem.column, reason: problem.reason },
    });
    this.name = 'TransformError';
    this.column = problem.column;
    this.reason = problem.reason;
  }
}
