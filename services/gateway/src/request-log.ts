import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '@airlock/core';
import type { GatewayMetrics } from './metrics.ts';
import { routeLabel } from './route-label.ts';

/**
 * A request id on every request (the caller's `x-request-id` when it is a sane token, else a new
 * UUID), echoed in the response, and one structured log line per request when it finishes.
 */
export function requestLog(logger: Logger, metrics: GatewayMetrics): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming && /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', id);
    res.locals['log'] = logger.child({ requestId: id });
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // originalUrl: a router mounted at /graphql or /models rewrites req.path while it runs.
      metrics.httpRequests.inc({ route: routeLabel(pathOf(req.originalUrl)), status: String(res.statusCode) });
      (res.locals['log'] as Logger).info(
        { method: req.method, path: req.path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 },
        'request',
      );
    });
    next();
  };
}

function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}
