import { AirlockError, canonicalJson } from '@airlock/core';
import { storePolicyIn, type StoreOutcome } from '@airlock/catalog';
import type { AirlockDatabase } from '@airlock/db';
import type { KeyProvider } from '@airlock/deid';
import { derivationChanged, ensureDatasetTablesIn, rebuildIn, type RebuildSummary } from '@airlock/ingest';
import type { DatasetPolicy, Policy } from '@airlock/policy';
import { recreateSyntheticTable, syntheticColumns } from '@airlock/releases';
import { refreshSyntheticAfterIngest, type SyntheticRefresh } from './refresh-synthetic.ts';

export interface ApplyPoliciesOptions {
  database: AirlockDatabase;
  policies: readonly Policy[];
  /** The token keys, for re-deriving a loaded dataset (opened only when one is). */
  keys: () => KeyProvider;
  actor: { actor: string; roles: readonly string[] };
  /** Rows re-derived so far, per dataset. */
  onProgress?: (dataset: string, rows: number, total: number) => void;
}

/** What applying one policy did. */
export type ApplyOutcome =
  | (StoreOutcome & {
      /** What the dataset's loaded tables needed: none loaded, nothing, or reshaped (columns added, retired or required). */
      tables?: 'absent' | 'exists' | 'reshaped';
      /** The deidentified zone derived again with this version (when its derivation changed). */
      rebuilt?: RebuildSummary;
      /** The synthetic zone: withdrawn when its columns changed, then re-released if the policy refreshes it. */
      synthetic?: { withdrawn: true; refresh: SyntheticRefresh } | undefined;
    })
  /** Refused: the version would not fit the loaded data. Nothing of it was stored. */
  | { kind: 'refused'; name: string; error: AirlockError };

/**
 * Apply policy versions so that the gateway never serves one its tables do not match. Each
 * policy is one transaction: the version and its audit event are stored, the dataset's loaded
 * restricted table is reshaped as the new version allows (columns added empty, retired, or
 * required), and the deidentified zone is derived again when anything that decides it changed.
 * A version that does not fit the loaded data (a new required column, a re-typed column, a
 * required column with empty rows) is refused whole, with the reasons and the fix; the others are
 * still applied. After the commit, a synthetic zone whose columns changed (withdrawn in the
 * transaction) is re-released when the policy asks for refreshes.
 */
export async function applyPolicies(options: ApplyPoliciesOptions): Promise<ApplyOutcome[]> {
  const outcomes: ApplyOutcome[] = [];
  for (const policy of options.policies) {
    try {
      outcomes.push(await applyOne(options, policy));
    } catch (error) {
      if (!(error instanceof AirlockError) || error.code !== 'CONFLICT') throw error;
      outcomes.push({ kind: 'refused', name: policy.kind === 'dataset' ? policy.dataset : 'roles', error });
    }
  }
  return outcomes;
}

/** What the transaction of one policy did. */
interface Applied {
  stored: StoreOutcome;
  tables?: 'absent' | 'exists' | 'reshaped';
  rebuilt?: RebuildSummary | undefined;
  withdrawn?: boolean;
}

async function applyOne(options: ApplyPoliciesOptions, policy: Policy): Promise<ApplyOutcome> {
  const { stored, tables, rebuilt, withdrawn } = await options.database.bulk('catalog', async (session): Promise<Applied> => {
    const { previous, ...stored } = await storePolicyIn(session, policy, options.actor);
    if (stored.kind === 'unchanged' || policy.kind !== 'dataset') return { stored };
    const before = previous?.kind === 'dataset' ? previous : undefined;
    const tables = await ensureDatasetTablesIn(session, policy, { create: false });
    if (tables === 'absent' || tables === 'created') return { stored, tables: 'absent' };
    const rebuilt =
      tables === 'reshaped' || derivationChanged(before, policy)
        ? await rebuildIn(session, {
            policy,
            policyVersion: stored.version,
            keys: options.keys(),
            actor: options.actor,
            onProgress: (rows, total) => options.onProgress?.(policy.dataset, rows, total),
          })
        : undefined;
    const withdrawn = policy.zones.synthetic !== undefined && syntheticShapeChanged(before, policy);
    if (withdrawn) await recreateSyntheticTable(session, policy);
    return { stored, tables, rebuilt, withdrawn };
  });
  if (!withdrawn || policy.kind !== 'dataset') return { ...stored, tables, rebuilt };
  const refresh = await refreshSyntheticAfterIngest({ database: options.database, policy, policyVersion: stored.version, actor: options.actor });
  return { ...stored, tables, rebuilt, synthetic: { withdrawn: true, refresh } };
}

function syntheticShapeChanged(previous: DatasetPolicy | undefined, next: DatasetPolicy): boolean {
  return canonicalJson(previous ? syntheticColumns(previous) : null) !== canonicalJson(syntheticColumns(next));
}
