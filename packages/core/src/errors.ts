/**
 * One error type for all of Airlock, with a stable code. The code decides the HTTP status and the
 * GraphQL `extensions.code` at the edge (see {@link httpStatusOf}); the message is for humans and
 * names the bad value and the fix, except where detail would leak policy or data.
 */
export const ERROR_CODES = {
  CONFIG_INVALID: 500,
  POLICY_INVALID: 400,
  POLICY_NOT_FOUND: 404,
  DATASET_NOT_FOUND: 404,
  ZONE_FORBIDDEN: 403,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  /** The caller's privacy-loss budget for a dataset cannot pay for the query (renews each period). */
  BUDGET_EXHAUSTED: 429,
  BAD_REQUEST: 400,
  INGEST_FILE_INVALID: 400,
  INGEST_ROW_REJECTED: 422,
  AUDIT_WRITE_FAILED: 503,
  AUDIT_CHAIN_BROKEN: 500,
  DATABASE_UNAVAILABLE: 503,
  MIGRATION_FAILED: 500,
  KEYRING_INVALID: 500,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface AirlockErrorOptions {
  cause?: unknown;
  /** Extra facts safe to show the caller (never row contents or policy internals). */
  details?: Record<string, unknown>;
}

export class AirlockError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AirlockErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AirlockError';
    this.code = code;
    this.details = options.details;
  }
}

/** HTTP status for an error code; unknown errors are 500. */
export function httpStatusOf(error: unknown): number {
  return error instanceof AirlockError ? ERROR_CODES[error.code] : 500;
}

export function isAirlockError(error: unknown, code?: ErrorCode): error is AirlockError {
  return error instanceof AirlockError && (code === undefined || error.code === code);
}
