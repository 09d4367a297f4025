import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { principalOf } from './auth/index.ts';

/** What {@link subjectRateLimit} needs: the limit and its window (from the gateway config). */
export interface RateLimitSettings {
  /** Requests one subject may make per window; 0 turns the limit off. */
  readonly limit: number;
  readonly windowMs: number;
  /** Called for each refused request (metrics). */
  readonly onLimited?: () => void;
}

/**
 * Requests per JWT subject (`sub`), counted in this process over a fixed window; past the limit
 * the answer is 429 with `Retry-After` (seconds) and the standard `RateLimit` headers. Runs after
 * authentication, so the key is the verified subject: one token (or many tokens of one subject)
 * cannot flood the gateway, and callers behind one address do not share a budget. Several
 * gateways each count their own share.
 */
export function subjectRateLimit(settings: RateLimitSettings): RequestHandler {
  if (settings.limit === 0) return (_req, _res, next) => next();
  const seconds = Math.ceil(settings.windowMs / 1000);
  return rateLimit({
    windowMs: settings.windowMs,
    limit: settings.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (_req, res) => `sub:${principalOf(res).subject}`,
    handler: (_req, res) => {
      settings.onLimited?.();
      res.status(429).json({
        errors: [
          {
            message: `Too many requests for this subject: at most ${settings.limit} per ${seconds} s. Wait the seconds in Retry-After, then retry.`,
            extensions: { code: 'RATE_LIMITED' },
          },
        ],
      });
    },
  });
}
