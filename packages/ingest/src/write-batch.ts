import type { BulkSession } from '@airlock/db';
import type { DatasetPolicy } from '@airlock/policy';
import { parseTokenVersion } from '@airlock/deid';
import { restrictedTable, SYSTEM_COLUMNS } from './dataset-tables.ts';
import type { PreparedBatch } from './prepare-batch.ts';
import { countBatch } from './sources.ts';

/**
 * Write one prepared batch: restricted rows, rejects and vault entries as the restricted role,
 * then the source's counts as the catalog role — all in the caller's one transaction, so a batch is entirely there or not at all.
 */
export async function writeBatch(
  session: BulkSession,
  policy: DatasetPolicy,
  sourceId: number,
  batch: PreparedBatch,
  mintedLookups: ReadonlyMap<string, string>,
  keyVersion: number,
): Promise<void> {
  await session.setRole('restricted');
  await session.copyRows(
    restrictedTable(policy.dataset),
    [SYSTEM_COLUMNS.rowId, SYSTEM_COLUMNS.subject, SYSTEM_COLUMNS.sourceId, SYSTEM_COLUMNS.record, SYSTEM_COLUMNS.content, ...policy.columns.map((c) => c.name)],
    batch.restricted,
  );
  await session.copyRows(
    'restricted.ingest_rejects',
    ['source_id', 'record', 'line', 'column_name', 'reason', 'raw'],
    batch.rejects.map((r) => [sourceId, r.record, r.line, r.column, r.reason, r.raw]),
  );
  await writeVault(session, batch, mintedLookups, keyVersion);
  // The batch's deidentified rows are not written here: k-anonymity is a property of the whole
  // dataset, so the zone is derived at the end of the load (deriveDeidentified), all at once.
  await countBatch(session, sourceId, batch.restricted.length, batch.rejects.length, batch.duplicates);
}

/** Vault rows (restricted role), once per token: the same patient recurs across rows. */
export async function writeVault(
  session: BulkSession,
  batch: Pick<PreparedBatch, 'vault'>,
  mintedLookups: ReadonlyMap<string, string>,
  keyVersion: number,
): Promise<void> {
  const seen = new Set<string>();
  const domains: string[] = [];
  const kinds: string[] = [];
  const lookups: string[] = [];
  const publics: string[] = [];
  const versions: number[] = [];
  const sealed: string[] = [];
  for (const entry of batch.vault) {
    const id = `${entry.kind}\u0000${entry.domain}\u0000${entry.token}`;
    if (seen.has(id)) continue;
    seen.add(id);
    domains.push(entry.domain);
    kinds.push(entry.kind);
    lookups.push(entry.kind === 'token' ? entry.token : lookupOf(mintedLookups, entry.token));
    publics.push(entry.token);
    versions.push(entry.kind === 'token' ? (parseTokenVersion(entry.token) ?? keyVersion) : keyVersion);
    sealed.push(entry.sealed);
  }
  if (domains.length === 0) return;
  await session.query(
    `insert into restricted.vault (domain, kind, lookup, public_value, key_version, sealed)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[])
     on conflict do nothing`,
    [domains, kinds, lookups, publics, versions, sealed],
  );
}

function lookupOf(minted: ReadonlyMap<string, string>, surrogate: string): string {
  const lookup = minted.get(surrogate);
  if (lookup === undefined) throw new Error(`surrogate ${surrogate} was not minted in this batch`);
  return lookup;
}
