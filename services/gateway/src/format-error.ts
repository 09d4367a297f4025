import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { isAirlockError, type ErrorCode, type Logger } from '@airlock/core';

/** GraphQL `extensions.code` for each Airlock error code: the one map from code to client code. */
const GRAPHQL_CODE: Partial<Record<ErrorCode, string>> = {
  FORBIDDEN: 'FORBIDDEN',
  ZONE_FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  BAD_REQUEST: 'BAD_USER_INPUT',
  BUDGET_EXHAUSTED: 'BUDGET_EXHAUSTED',
  NOT_FOUND: 'NOT_FOUND',
  DATASET_NOT_FOUND: 'NOT_FOUND',
  AUDIT_WRITE_FAILED: 'SERVICE_UNAVAILABLE',
  DATABASE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
};

/** Errors GraphQL itself produces about the request: safe to show as they are. */
const CLIENT_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);

/**
 * SQLSTATEs of class 22 (data exception) that come from casting a parameter: invalid datetime
 * format, datetime field overflow, numeric value out of range, invalid text representation,
 * character not in repertoire, untranslatable character.
 */
const INPUT_DATA_EXCEPTIONS = new Set(['22007', '22008', '22003', '22P02', '22021', '22P05']);

/** graphql-armor reports its limits as validation errors; give each its own code. */
const LIMIT_CODES: Array<[RegExp, string]> = [
  [/depth limit/i, 'DEPTH_LIMIT_EXCEEDED'],
  [/aliases limit/i, 'ALIAS_LIMIT_EXCEEDED'],
  [/cost limit/i, 'COST_LIMIT_EXCEEDED'],
  // graphql-js's own parser limit (spelled "more that" in graphql 16).
  [/token limit|contains more th[ae][nt] \d+ tokens/i, 'TOKEN_LIMIT_EXCEEDED'],
  [/directives limit/i, 'DIRECTIVE_LIMIT_EXCEEDED'],
];

/** How to get under each limit. */
const LIMIT_ADVICE: Record<string, string> = {
  COST_LIMIT_EXCEEDED: ' Ask for fewer rows (first) or fewer fields per request, and page with after.',
  DEPTH_LIMIT_EXCEEDED: ' Nest fewer selections.',
  ALIAS_LIMIT_EXCEEDED: ' Use fewer aliases; send several requests instead.',
  TOKEN_LIMIT_EXCEEDED: ' Send a shorter query.',
  DIRECTIVE_LIMIT_EXCEEDED: ' Use fewer directives.',
};

/**
 * Errors at the edge: Airlock errors keep their message and get their code; GraphQL's own
 * request errors pass; a statement timeout says so; everything else — SQL errors, bugs — is
 * masked as "Internal server error" and logged in full on the server. No stack traces or SQL
 * text ever reach the client.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
    if (isAirlockError(original)) {
      return { ...base, message: original.message, extensions: { ...original.details, code: GRAPHQL_CODE[original.code] ?? original.code } };
    }
    const pgCode = (original as { code?: unknown } | undefined)?.code;
    if (pgCode === '57014') {
      return { ...base, message: 'The query took longer than the statement timeout; narrow it.', extensions: { code: 'TIMEOUT' } };
    }
    if (typeof pgCode === 'string' && INPUT_DATA_EXCEPTIONS.has(pgCode)) {
      // PostgreSQL refused to cast a request parameter (a date that does not exist, a number out
      // of range). Stored columns are already typed, so the value it names is the caller's own.
      return { ...base, message: `An argument is not a valid value for its type (${(original as Error).message}); correct it.`, extensions: { code: 'BAD_USER_INPUT' } };
    }
    if (pgCode === '42501') {
      // The database refused: a zone was reached that the caller's role may not read.
      logger.error({ err: original }, 'database refused a zone access');
      return { ...base, message: 'Not allowed.', extensions: { code: 'FORBIDDEN' } };
    }
    const code = formatted.extensions?.['code'];
    // Each caller's schema holds only what their roles may use, so a field outside it is a
    // refusal; answered as vaguely as any other, so it does not tell what exists.
    if (
      (code === 'GRAPHQL_VALIDATION_FAILED' && /^Cannot query field /.test(formatted.message)) ||
      /^Schema is not configured to execute (mutation|subscription) operation/.test(formatted.message)
    ) {
      return { ...base, message: 'Not allowed, or no such field.', extensions: { code: 'FORBIDDEN' } };
    }
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const limit = LIMIT_CODES.find(([pattern]) => pattern.test(formatted.message));
      if (limit === undefined) return { ...base, extensions: { code } };
      // graphql-armor's limits come through the parser, hence its "Syntax Error:" prefix: the
      // query's syntax is fine, so say what the limit is and how to stay under it.
      const message = `${formatted.message.replace(/^Syntax Error: /u, '')}${LIMIT_ADVICE[limit[1]] ?? ''}`;
      return { ...base, message, extensions: { code: limit[1] } };
    }
    logger.error({ err: original }, 'internal error in a GraphQL operation');
    return { message: 'Internal server error', ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
