import type { ApolloServerPlugin } from '@apollo/server';
import { findUnstorableText } from '@airlock/core';
import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';

/** Codes that say the request itself was wrong: the caller fixes it, so the status is 400. */
const CLIENT_REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'DEPTH_LIMIT_EXCEEDED',
  'ALIAS_LIMIT_EXCEEDED',
  'COST_LIMIT_EXCEEDED',
  'TOKEN_LIMIT_EXCEEDED',
  'DIRECTIVE_LIMIT_EXCEEDED',
]);

/** Where the first NUL or unpaired surrogate of a request is (operation name, variables, or a string literal). */
export function findBadCharacters(request: { operationName?: string | null | undefined; variables?: unknown }, document: DocumentNode | undefined): string | undefined {
  const inRequest = findUnstorableText(request.operationName ?? '', 'operationName') ?? findUnstorableText(request.variables ?? {}, 'variables');
  if (inRequest || !document) return inRequest;
  let found: string | undefined;
  visit(document, {
    [Kind.STRING](node) {
      const at = findUnstorableText(node.value, `a string literal at line ${node.loc?.startToken.line ?? '?'}`);
      if (at && !found) found = at;
    },
  });
  return found;
}

/**
 * Request hygiene before and after execution: a NUL or unpaired surrogate anywhere in the
 * request is refused with 400 BAD_USER_INPUT before any resolver runs (PostgreSQL cannot take
 * them, and they would otherwise surface as server errors); a response made only of request
 * errors (syntax, validation, limits) gets 400 rather than 500. The audit plugin still writes
 * its event for each.
 */
export function requestChecksPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ request, document }) {
          const where = findBadCharacters(request, document);
          if (where) {
            throw new GraphQLError(
              `The request holds a NUL character or an unpaired UTF-16 surrogate in ${where}; remove it and send the request again.`,
              { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } },
            );
          }
          return Promise.resolve();
        },
        willSendResponse({ response }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const errors = body?.errors ?? [];
          const onlyRequestErrors =
            errors.length > 0 && body?.data === undefined && errors.every((e) => CLIENT_REQUEST_CODES.has(String(e.extensions?.['code'] ?? '')));
          if (onlyRequestErrors && (response.http.status === undefined || response.http.status >= 500 || response.http.status === 200)) {
            response.http.status = 400;
          }
          return Promise.resolve();
        },
      });
    },
  };
}
