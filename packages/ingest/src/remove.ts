import { appendInTransaction } from '@airlock/audit';
import { AirlockError } from '@airlock/core';
import type { KeyProvider } from '@airlock/deid';
import { quoteIdent, type AirlockDatabase, type BulkSession } from '@airlock/db';
import type { DatasetPolicy } from '@airlock/policy';
import { deriveDeidentified } from './rebuild.ts';
import type { RiskOutcome } from './risk-enforcement.ts';

export interface RemoveOptions {
  database: AirlockDatabase;
  policy: DatasetPolicy;
  policyVersion: number;
  keys: KeyProvider;
  actor: { actor: string; roles: readonly string[] };
  /** The load (catalog.ingest_sources id) to remove; absent = the whole dataset. */
  load?: number | undefined;
}

export interface RemoveSummary {
  dataset: string;
  /** The load removed, or undefined for the whole dataset. */
  load: number | undefined;
  /** Restricted rows deleted. */
  removedRows: number;
  /** Rows left in the restricted zone. */
  remainingRows: number;
  /** The re-derived deidentified zone's risk outcome (undefined when the dataset is gone). */
  risk: RiskOutcome | undefined;
}

/** One row per load of a dataset, for `airlock remove` to list and check. */
export interface LoadRecord {
  id: number;
  fileName: string;
  sha256: string;
  loaded: number;
  duplicates: number;
  rejected: number;
  completedAt: Date | null;
}

/** The loads of a dataset, oldest first. */
export async function listLoads(database: AirlockDatabase, dataset: string): Promise<LoadRecord[]> {
  const rows = await database.withZone('catalog', (trx) =>
    trx
      .selectFrom('catalog.ingest_sources')
      .select(['id', 'file_name', 'sha256', 'loaded', 'duplicates', 'rejected', 'completed_at'])
      .where('dataset', '=', dataset)
      .orderBy('id')
      .execute(),
  );
  return rows.map((r) => ({
    id: r.id,
    fileName: r.file_name,
    sha256: r.sha256,
    loaded: r.loaded,
    duplicates: r.duplicates ?? 0,
    rejected: r.rejected,
    completedAt: r.completed_at ?? null,
  }));
}

/**
 * Removes one load (its raw rows and rejects) or a whole dataset (its tables and loads), and
 * rebuilds every derived zone in the same transaction: the deidentified zone is re-derived from
 * what is left (risk targets enforced again, report stored), the synthetic zone's rows are
 * deleted (they were sampled from a model of the removed data; the caller re-synthesizes), and
 * the aggregate zone reads restricted rows directly. Audited (`ingest.remove`) in the same
 * transaction. The same file can be loaded again afterwards. Vault entries stay: tokens are
 * shared by domain across datasets.
 */
export async function removeData(options: RemoveOptions): Promise<RemoveSummary> {
  const { database, policy, keys } = options;
  const dataset = policy.dataset;
  const loads = await listLoads(database, dataset);
  if (options.load !== undefined && !loads.some((l) => l.id === options.load)) {
    throw new AirlockError(
      'NOT_FOUND',
      `Dataset "${dataset}" has no load ${options.load}; its loads are ${loads.map((l) => `${l.id} (${l.fileName})`).join(', ') || 'none'}. Run \`airlock remove ${dataset} --list\` to see them.`,
    );
  }
  if (loads.length === 0 && !(await tableExists(database, 'restricted', dataset))) {
    throw new AirlockError('NOT_FOUND', `Dataset "${dataset}" holds no data: nothing to remove.`);
  }
  const table = quoteIdent(dataset);
  return database.bulk('restricted', async (session) => {
    let removedRows: number;
    let remainingRows = 0;
    let risk: RiskOutcome | undefined;
    if (options.load !== undefined) {
      const [deleted] = await session.query<{ n: number }>(`with d as (delete from restricted.${table} where _source_id = $1 returning 1) select count(*)::int as n from d`, [options.load]);
      removedRows = Number(deleted?.n ?? 0);
      await session.query(`delete from restricted.ingest_rejects where source_id = $1`, [options.load]);
      await session.setRole('catalog');
      await session.query(`delete from catalog.ingest_sources where id = $1`, [options.load]);
      await clearSynthetic(session, dataset);
      const derived = await deriveDeidentified(session, { policy, policyVersion: options.policyVersion, keys, reason: 'remove' });
      remainingRows = derived.rows;
      risk = derived.risk;
    } else {
      const [count] = await session.query<{ n: number }>(`select count(*)::int as n from restricted.${table}`);
      removedRows = Number(count?.n ?? 0);
      const ids = loads.map((l) => l.id);
      if (ids.length > 0) await session.query(`delete from restricted.ingest_rejects where source_id = any($1::bigint[])`, [ids]);
      await session.setRole('catalog');
      await session.query(`delete from catalog.ingest_sources where dataset = $1`, [dataset]);
      await session.query(`delete from catalog.datasets where name = $1`, [dataset]);
      await session.tables.drop(dataset);
    }
    await session.setRole('audit');
    await appendInTransaction(
      session,
      {
        ...options.actor,
        type: 'ingest.remove',
        action: 'remove',
        dataset,
        zone: 'restricted',
        outcome: 'allowed',
        details: { load: options.load ?? null, whole: options.load === undefined, removedRows, remainingRows, risk: risk ?? null },
      },
      new Date(),
    );
    return { dataset, load: options.load, removedRows, remainingRows, risk };
  });
}

async function clearSynthetic(session: BulkSession, dataset: string): Promise<void> {
  await session.setRole('synthetic');
  const [exists] = await session.query<{ found: boolean }>(
    `select exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'synthetic' and c.relname = $1) as found`,
    [dataset],
  );
  if (exists?.found) await session.query(`delete from synthetic.${quoteIdent(dataset)}`);
}

async function tableExists(database: AirlockDatabase, schema: string, table: string): Promise<boolean> {
  return database.bulk('catalog', async (session) => {
    const [row] = await session.query<{ found: boolean }>(
      `select exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = $2) as found`,
      [schema, table],
    );
    return Boolean(row?.found);
  });
}
