import { listRejects } from '@airlock/ingest';
import { appliedPolicy } from '../applied-policy.ts';
import type { Operation } from '../operation.ts';

export interface RejectsArgs {
  dataset: string;
  load?: number | undefined;
  limit: number;
  offset: number;
  json?: boolean | undefined;
}

/** `airlock rejects`: the rows ingest rejected, with file, line, column and reason (raw data). */
export const rejects: Operation<RejectsArgs> = async ({ database, out }, { dataset, load, limit, offset, json }) => {
  await appliedPolicy(database, dataset);
  const page = await listRejects(database, dataset, { loadId: load, limit, offset });
  if (json) {
    for (const row of page.rows) out.say(JSON.stringify(row));
    return;
  }
  if (page.total === 0) {
    out.say(`${dataset}: no rejected rows${load === undefined ? '' : ` in load ${load}`}.`);
    return;
  }
  for (const row of page.rows) {
    out.say(`${row.fileName}:${row.line}${row.column ? ` (${row.column})` : ''}: ${row.reason}`);
    out.say(`    ${row.raw.length > 200 ? `${row.raw.slice(0, 200)}…` : row.raw}`);
  }
  const shown = `${offset + 1}–${offset + page.rows.length}`;
  out.say(`${dataset}: rejected rows ${shown} of ${page.total}${page.total > offset + page.rows.length ? `; more with --offset ${offset + page.rows.length}` : ''}.`);
};
