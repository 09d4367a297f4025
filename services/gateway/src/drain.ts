import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/** Graceful shutdown of the HTTP surface: see {@link createDrain}. */
export interface Drain {
  /** First middleware of the app: counts requests in flight, refuses new ones once draining. */
  readonly middleware: RequestHandler;
  /** Responses not yet finished. */
  readonly inFlight: ReadonlySet<ServerResponse>;
  /** Stop taking requests: new ones get 503; in-flight ones finish, each closing its connection. */
  start(): void;
}

/**
 * Shutdown without dropping work. Once draining, a request arriving on a kept-alive connection
 * is answered 503 with `Retry-After` and `Connection: close` (a load balancer retries it
 * elsewhere), and every response still in flight is sent with `Connection: close`, so its
 * connection ends with it instead of idling until the keep-alive timeout.
 */
export function createDrain(): Drain {
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  const middleware: RequestHandler = (_req, res, next) => {
    if (draining) {
      res.setHeader('connection', 'close');
      res.setHeader('retry-after', '5');
      res.status(503).json({ errors: [{ message: 'The gateway is shutting down; retry in a moment.', extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
      return;
    }
    inFlight.add(res);
    res.on('close', () => inFlight.delete(res));
    next();
  };
  return {
    middleware,
    inFlight,
    start() {
      draining = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    },
  };
}
