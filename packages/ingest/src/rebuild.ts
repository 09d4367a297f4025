import { appendAll } from '@airlock/core';
import { appendInTransaction } from '@airlock/audit';
import { createDeidentifier, normalizeValue, tokenize, type KeyProvider } from '@airlock/deid';
import { quoteIdent, type AirlockDatabase, type BulkSession } from '@airlock/db';
import type { DatasetPolicy } from '@airlock/policy';
import { aggregateColumns, deidentifiedColumns, deidentifiedTable, deidentifiedTableColumns, ensureDatasetTablesIn, SYSTEM_COLUMNS } from './dataset-tables.ts';
import { recordDerivationIn } from './derivation.ts';
import { subjectPlan } from './prepare-batch.ts';
import { enforceRisk, storeRiskReport, type RiskOutcome } from './risk-enforcement.ts';
import { RunSurrogates } from './surrogate-store.ts';
import { writeVault } from './write-batch.ts';

export interface RebuildSummary {
  dataset: string;
  rows: number;
  keyVersion: number;
  policyVersion: number;
  seconds: number;
  /** Rows published in the deidentified zone (the rest were suppressed, or the zone refused). */
  published: number;
  /** The risk targets' outcome: published (with k, suppressed, loss) or refused (with blockers). */
  risk: RiskOutcome | undefined;
}

const PAGE = 5000;
// Rows per COPY when publishing the derived zone.
const COPY_CHUNK = 20_000;

/** What {@link deriveDeidentified} needs. */
export interface DeriveOptions {
  policy: DatasetPolicy;
  policyVersion: number;
  keys: KeyProvider;
  reason: 'ingest' | 'rebuild' | 'remove';
  onProgress?: ((rows: number, total: number) => void) | undefined;
}

/**
 * Re-derive the deidentified zone of a dataset from its restricted rows with the current policy
 * and key version (after a policy change or a key rotation). One transaction: readers see the
 * old zone until the new one is complete, and a failure leaves the old one in place. Subject
 * tokens in `restricted` are re-derived too, so both zones agree on the key version. Audited in
 * the same transaction.
 */
export async function rebuildDataset(options: RebuildOptions & { database: AirlockDatabase }): Promise<RebuildSummary> {
  return options.database.bulk('restricted', (session) => rebuildIn(session, options));
}

/** What a rebuild needs. */
export interface RebuildOptions {
  policy: DatasetPolicy;
  policyVersion: number;
  keys: KeyProvider;
  actor: { actor: string; roles: readonly string[] };
  onProgress?: ((rows: number, total: number) => void) | undefined;
}

/**
 * {@link rebuildDataset} in the caller's transaction: reshape the restricted table as the policy
 * allows (see `ensureDatasetTablesIn`), derive the deidentified zone, audit it. A policy apply
 * runs it in the transaction that stores the version, so both commit or neither does.
 */
export async function rebuildIn(session: BulkSession, options: RebuildOptions): Promise<RebuildSummary> {
  const { policy, keys } = options;
  const started = Date.now();
  await ensureDatasetTablesIn(session, policy);
  const result = await deriveDeidentified(session, { policy, policyVersion: options.policyVersion, keys, reason: 'rebuild', onProgress: options.onProgress });
  await session.setRole('audit');
  await appendInTransaction(
    session,
    {
      ...options.actor,
      type: 'rebuild',
      action: 'rebuild',
      dataset: policy.dataset,
      zone: 'deidentified',
      outcome: 'allowed',
      details: { rows: result.rows, policyVersion: options.policyVersion, policySha256: policy.source.sha256, keyVersion: keys.currentVersion(), risk: result.risk ?? null },
    },
    new Date(),
  );
  return { dataset: policy.dataset, rows: result.rows, published: result.published, keyVersion: keys.currentVersion(), policyVersion: options.policyVersion, seconds: (Date.now() - started) / 1000, risk: result.risk };
}

/**
 * The derivation inside the caller's transaction: recreate the deidentified table, transform
 * every restricted row, then meet the policy's risk targets (generalize quasi-identifiers,
 * suppress records of classes under k or l, or publish nothing) before a single row is written,
 * store the risk report, and record the derivation. `rows` counts the restricted rows derived.
 */
export async function deriveDeidentified(session: BulkSession, options: DeriveOptions): Promise<{ rows: number; published: number; risk: RiskOutcome | undefined }> {
  const { policy, keys } = options;
  const table = quoteIdent(policy.dataset);
  // A new deidentified table in the policy's current shape, and the aggregate role's columns
  // granted afresh: by the database's named operation, in this transaction.
  await session.tables.replaceDeidentified({ dataset: policy.dataset, columns: deidentifiedTableColumns(policy), aggregateColumns: aggregateColumns(policy) });

  await session.setRole('restricted');
  const [{ total } = { total: 0 }] = await session.query<{ total: number }>(`select count(*)::int as total from restricted.${table}`);
  const plan = subjectPlan(policy);
  const surrogateColumns = RunSurrogates.columns(policy);
  const surrogates = new RunSurrogates(keys);
  const deidNames = deidentifiedColumns(policy).map((c) => c.name);
  const derived: unknown[][] = [];
  let after: string | null = null;
  for (;;) {
    await session.setRole('restricted');
    const page: Array<Record<string, unknown>> = await session.query(
      `select * from restricted.${table} ${after ? 'where _row_id > $1' : ''} order by _row_id limit ${PAGE}`,
      after ? [after] : [],
    );
    if (page.length === 0) break;
    after = String(page[page.length - 1]![SYSTEM_COLUMNS.rowId]);
    surrogates.nextBatch();
    if (surrogateColumns.length > 0) await surrogates.preloadWith(session, valuesOf(page, surrogateColumns));
    const deidentifier = createDeidentifier(policy, keys, { surrogates });
    const vault: Parameters<typeof writeVault>[1]['vault'] = [];
    const ids: string[] = [];
    const subjects: string[] = [];
    for (const stored of page) {
      const row = asIngestTyped(stored);
      const rowId = String(stored[SYSTEM_COLUMNS.rowId]);
      const subject =
        plan === 'row'
          ? rowId
          : tokenize(keys, { domain: plan.domain, caseFold: plan.caseFold }, normalizeValue(String(row[plan.column]), plan.caseFold));
      const deid = deidentifier.deidentifyRow(row, { subjectKey: subject });
      ids.push(rowId);
      subjects.push(subject);
      derived.push([rowId, subject, ...deidNames.map((n) => deid.row[n] ?? null)]);
      appendAll(vault, deid.vault);
    }
    await session.query(
      `update restricted.${table} r set _subject = u.subject from unnest($1::uuid[], $2::text[]) as u(id, subject)
        where r._row_id = u.id and r._subject <> u.subject`,
      [ids, subjects],
    );
    await writeVault(session, { vault }, surrogates.mintedLookups(), keys.currentVersion());
    options.onProgress?.(derived.length, total);
  }

  const enforced = enforceRisk(policy, deidNames, derived);
  const publish = enforced?.publish ?? derived;
  await session.setRole('deidentified');
  for (let i = 0; i < publish.length; i += COPY_CHUNK) {
    await session.copyRows(deidentifiedTable(policy.dataset), [SYSTEM_COLUMNS.rowId, SYSTEM_COLUMNS.subject, ...deidNames], publish.slice(i, i + COPY_CHUNK));
  }
  const risk = enforced && (await storeRiskReport(session, policy, options.policyVersion, options.reason, enforced.report));
  await recordDerivationIn(session, policy, options.policyVersion, keys.currentVersion(), 'rebuild');
  return { rows: derived.length, published: publish.length, risk };
}

/** Stored values back in the shape ingest gives the deidentifier (timestamps as ISO text). */
function asIngestTyped(stored: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored)) row[key] = value instanceof Date ? value.toISOString() : value;
  return row;
}

function valuesOf(page: Array<Record<string, unknown>>, columns: ReadonlyArray<{ column: string; domain: string }>): Map<string, Set<string>> {
  const values = new Map<string, Set<string>>();
  for (const { column, domain } of columns) {
    const set = values.get(domain) ?? new Set<string>();
    values.set(domain, set);
    for (const row of page) {
      const value = row[column];
      if (value !== null && value !== undefined) set.add(normalizeValue(String(value), false));
    }
  }
  return values;
}

