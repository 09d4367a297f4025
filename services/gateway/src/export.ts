import { once } from 'node:events';
import { Router, type Request, type Response } from 'express';
import { AirlockError, httpStatusOf, isAirlockError } from '@airlock/core';
import { principalOf, type Principal } from './auth/index.ts';
import { createRepository } from './data/repository.ts';
import type { RecordZone } from './data/records.repository.ts';
import { newUsage } from './data/repository-deps.ts';
import type { GraphqlDeps } from './graphql-server.ts';
import { sendRestError } from './rest-error.ts';

const ZONES: readonly RecordZone[] = ['deidentified', 'synthetic', 'restricted'];
const FORMATS = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson; charset=utf-8' } as const;
type Format = keyof typeof FORMATS;
/** Query parameters that are not column filters. */
const RESERVED = new Set(['format', 'orderBy', 'direction']);

/**
 * `GET /export/<dataset>/<zone>?format=csv|ndjson&<column>=<value>&orderBy=<column>&direction=desc`:
 * every record of a zone the caller may read, streamed page by page through the same policy-bound
 * repository as GraphQL (the same columns, filters and sort). Audited twice with the `query` event
 * type: before the first byte (fail closed: no audit, no export) and when the stream ends, with the
 * row count and whether it completed. Authenticated and rate-limited like /graphql.
 */
export function exportRouter(deps: GraphqlDeps): Router {
  const router = Router();
  router.get('/:dataset/:zone', async (req: Request, res: Response) => {
    const principal = principalOf(res);
    const dataset = String(req.params['dataset']);
    const zone = String(req.params['zone']) as RecordZone;
    const usage = newUsage();
    const repository = createRepository(deps, principal, deps.policies.current, usage);
    let started = false;
    let rows = 0;
    try {
      if (!ZONES.includes(zone)) throw new AirlockError('BAD_REQUEST', `Unknown zone "${zone}": export reads ${ZONES.join(', ')}.`);
      const format = String(req.query['format'] ?? 'csv') as Format;
      if (!(format in FORMATS)) throw new AirlockError('BAD_REQUEST', `format must be csv or ndjson, got "${format}".`);
      if (!deps.policies.current.set.datasets.has(dataset)) throw new AirlockError('FORBIDDEN', 'Not allowed.');
      const columns = repository.recordColumns(dataset, zone);
      const where: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(req.query)) {
        if (RESERVED.has(key)) continue;
        if (typeof value !== 'string') throw new AirlockError('BAD_REQUEST', `Give ${key} once, as ${key}=<value>.`);
        if (!columns.includes(key)) throw new AirlockError('BAD_REQUEST', `Cannot filter on "${key}"; filter on one of: ${columns.join(', ')}.`);
        where[key] = value === '' ? null : value;
      }
      const orderColumn = req.query['orderBy'];
      const direction = req.query['direction'] === 'desc' ? 'desc' : 'asc';
      const orderBy = typeof orderColumn === 'string' ? { column: orderColumn, direction: direction as 'asc' | 'desc' } : null;
      // The first page before any byte: a refusal or bad filter is still a clean JSON error.
      let page = await repository.records(dataset, zone, { first: deps.config.pageSizeMax, after: null, where, orderBy });
      await auditExport(deps, principal, dataset, zone, 'allowed', { phase: 'start', format, filters: Object.keys(where), orderBy });
      started = true;
      res.status(200).type(FORMATS[format]).setHeader('content-disposition', `attachment; filename="${dataset}-${zone}.${format}"`);
      if (format === 'csv') await write(res, `${columns.map(csvField).join(',')}\r\n`);
      for (;;) {
        let chunk = '';
        for (const row of page.rows) chunk += format === 'csv' ? `${columns.map((c) => csvField(row[c])).join(',')}\r\n` : `${JSON.stringify(row)}\n`;
        await write(res, chunk);
        rows += page.rows.length;
        if (!page.hasNextPage || res.destroyed) break;
        page = await repository.records(dataset, zone, { first: deps.config.pageSizeMax, after: page.endCursor, where, orderBy });
      }
      // The closing event is written before the stream ends, so a client that has the whole file
      // can already find it in the log.
      await auditExport(deps, principal, dataset, zone, 'allowed', { phase: 'end', format, rows, complete: !res.destroyed }).catch((error: unknown) => deps.logger.error({ err: error }, 'export end audit failed'));
      res.end();
    } catch (error) {
      if (started) {
        // Mid-stream: the status is sent; cut the stream so the client sees it incomplete.
        deps.logger.error({ err: error }, 'export failed mid-stream');
        res.destroy(error as Error);
        await auditExport(deps, principal, dataset, zone, 'error', { phase: 'end', rows, complete: false }).catch(() => undefined);
        return;
      }
      const outcome = isAirlockError(error) && httpStatusOf(error) === 403 ? 'denied' : 'error';
      await auditExport(deps, principal, dataset, zone, outcome, { phase: 'start' }).catch(() => undefined);
      sendRestError(res, error, deps.logger, 'export', 'Not allowed, or no such dataset.');
    }
  });
  return router;
}

async function write(res: Response, chunk: string): Promise<void> {
  if (chunk === '' || res.destroyed) return;
  if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
}

/** RFC 4180: quote a field holding a comma, quote, CR or LF; double the quotes. Null is empty. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/u.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function auditExport(deps: GraphqlDeps, principal: Principal, dataset: string, zone: string, outcome: 'allowed' | 'denied' | 'error', details: Record<string, unknown>): Promise<unknown> {
  return deps.audit.append({ type: 'query', actor: principal.subject, roles: principal.roles, action: 'export', dataset, zone, outcome, details });
}
