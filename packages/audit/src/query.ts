import type { AirlockDatabase } from '@airlock/db';
import { eventFromRow, type AuditEvent, type AuditEventType, type AuditOutcome } from './event.ts';

export interface AuditFilter {
  type?: AuditEventType | undefined;
  actor?: string | undefined;
  dataset?: string | undefined;
  outcome?: AuditOutcome | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
}

/** Newest first, `limit` events with `seq` below `beforeSeq` (cursor pagination). */
export async function listAuditEvents(
  database: AirlockDatabase,
  filter: AuditFilter,
  page: { limit: number; beforeSeq?: number | undefined },
): Promise<AuditEvent[]> {
  const rows = await database.withZone('audit', (trx) => {
    let query = trx.selectFrom('audit.events').selectAll();
    if (filter.type) query = query.where('event_type', '=', filter.type);
    if (filter.actor) query = query.where('actor', '=', filter.actor);
    if (filter.dataset) query = query.where('dataset', '=', filter.dataset);
    if (filter.outcome) query = query.where('outcome', '=', filter.outcome);
    if (filter.since) query = query.where('at', '>=', filter.since);
    if (filter.until) query = query.where('at', '<', filter.until);
    if (page.beforeSeq !== undefined) query = query.where('seq', '<', page.beforeSeq);
    return query.orderBy('seq', 'desc').limit(page.limit).execute();
  });
  return rows.map((row) => eventFromRow(row));
}
