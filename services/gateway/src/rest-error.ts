import type { Response } from 'express';
import { httpStatusOf, isAirlockError, type Logger } from '@airlock/core';

/**
 * A REST route's error as JSON in the GraphQL error shape: an AirlockError keeps its status, code
 * and message (a refusal can be given a vaguer text); anything else is logged and masked as a 500.
 */
export function sendRestError(res: Response, error: unknown, logger: Logger, what: string, forbiddenMessage?: string): void {
  const status = isAirlockError(error) ? httpStatusOf(error) : 500;
  if (status >= 500) logger.error({ err: error }, `${what} failed`);
  const message = status === 403 && forbiddenMessage !== undefined ? forbiddenMessage : isAirlockError(error) ? error.message : 'Internal server error';
  res.status(status).json({ errors: [{ message, extensions: { code: isAirlockError(error) ? error.code : 'INTERNAL_SERVER_ERROR' } }] });
}
