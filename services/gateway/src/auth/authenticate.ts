import { AirlockError, isAirlockError, type Logger } from '@airlock/core';
import type { RequestHandler, Response } from 'express';
import { INVALID_TOKEN_MESSAGE, type Principal, type TokenVerifier } from './token-verifier.ts';

/** How a caller without a token learns to get one. */
export const MISSING_TOKEN_MESSAGE =
  'A bearer token is required: send the header "Authorization: Bearer <token>". In dev mode, get one with `npx airlock token --role analyst`.';

/** Answer to an Authorization header that is not exactly `Bearer <token>`. */
export const MALFORMED_HEADER_MESSAGE =
  'The Authorization header must be "Bearer <token>" with exactly one token. In dev mode, get one with `npx airlock token --role analyst`.';

// RFC 6750 b64token, the only token syntax a Bearer header may carry; exactly one of them.
const BEARER_HEADER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Express middleware that authenticates every request by its `Authorization: Bearer <token>`
 * header (scheme case-insensitive, exactly one token). On success it stores the {@link Principal}
 * in `res.locals.principal` (read it with {@link principalOf}) and calls `next()`.
 *
 * On failure it answers at once and never calls `next()`, so no resolver and no database query
 * runs for an unauthenticated request:
 * - no header, or a malformed one: HTTP 401, `WWW-Authenticate: Bearer ... error="invalid_request"`,
 *   and a message saying how to get a token;
 * - a token the verifier refuses: HTTP 401, `WWW-Authenticate: Bearer ... error="invalid_token"`,
 *   message "invalid or expired token" (the precise reason goes to the log only);
 * - a server fault while verifying (e.g. unreadable dev keys): HTTP 500, masked, logged in full.
 *
 * Bodies have the GraphQL error shape `{ errors: [{ message, extensions: { code } }] }`.
 */
export function authenticate(verifier: TokenVerifier, logger: Logger): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (header === undefined || header.trim() === '') {
      sendError(res, 401, 'UNAUTHENTICATED', MISSING_TOKEN_MESSAGE, 'invalid_request', 'bearer token required');
      return;
    }
    const token = BEARER_HEADER.exec(header)?.[1];
    if (token === undefined) {
      // The header itself is never logged: it may hold a valid credential with a typo around it.
      logger.info({ path: req.path }, 'malformed Authorization header');
      sendError(res, 401, 'UNAUTHENTICATED', MALFORMED_HEADER_MESSAGE, 'invalid_request', 'malformed Authorization header');
      return;
    }

    let principal: Principal;
    try {
      principal = await verifier.verify(token);
    } catch (error) {
      if (isAirlockError(error, 'UNAUTHENTICATED')) {
        logger.warn({ path: req.path, reason: error.details?.['reason'] }, 'token rejected');
        sendError(res, 401, 'UNAUTHENTICATED', INVALID_TOKEN_MESSAGE, 'invalid_token', INVALID_TOKEN_MESSAGE);
      } else {
        logger.error({ err: error, path: req.path }, 'token verification failed on the server side');
        sendError(res, 500, 'INTERNAL', 'internal server error');
      }
      return;
    }
    res.locals['principal'] = principal;
    next();
  };
}

/**
 * The principal {@link authenticate} stored on this response.
 *
 * @throws AirlockError UNAUTHENTICATED when there is none (a route mounted without the
 *   middleware fails closed instead of running anonymously).
 */
export function principalOf(res: Response): Principal {
  const principal: unknown = res.locals['principal'];
  if (principal === undefined || principal === null) {
    throw new AirlockError('UNAUTHENTICATED', 'no authenticated principal on this request');
  }
  return principal as Principal;
}

function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  bearerError?: 'invalid_request' | 'invalid_token',
  description?: string,
): void {
  if (bearerError !== undefined) {
    // RFC 6750 section 3: the challenge names the scheme and, here, why the request failed.
    res.set('WWW-Authenticate', `Bearer realm="airlock", error="${bearerError}", error_description="${description ?? ''}"`);
  }
  res.set('Cache-Control', 'no-store');
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}
