import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

/**
 * Whether a request carries the operator token (`Authorization: Bearer <AIRLOCK_METRICS_TOKEN>`),
 * compared in constant time. False when no token is configured.
 */
export function presentsOperatorToken(req: Request, token: string | undefined): boolean {
  if (token === undefined) return false;
  const header = req.get('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) return false;
  // Hash both sides so the comparison takes the same time whatever the lengths.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match[1]!.trim()), digest(token));
}
