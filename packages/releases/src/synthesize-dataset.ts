import { randomUUID } from 'node:crypto';
import { appendInTransaction } from '@airlock/audit';
import { AirlockError, canonicalJson, sha256Hex } from '@airlock/core';
import { quoteIdent, type AirlockDatabase } from '@airlock/db';
import type { DatasetPolicy } from '@airlock/policy';
import { synthColumnsFromPolicy, synthesize, type SynthesisResult, type SynthPhase, type SynthRow } from '@airlock/synth';
import { recreateSyntheticTable, syntheticColumns } from './synthetic-table.ts';

export interface SynthesizeDatasetOptions {
  database: AirlockDatabase;
  policy: DatasetPolicy;
  policyVersion: number;
  /** Rows to release (default: as many as the restricted table holds). */
  rows?: number | undefined;
  seed?: string | number | undefined;
  actor: { actor: string; roles: readonly string[] };
  onProgress?: (phase: SynthPhase | 'read' | 'publish') => void;
}

export interface SynthesizeDatasetResult {
  releaseId: number;
  decision: SynthesisResult['decision'];
  reports: SynthesisResult['reports'];
  timings: SynthesisResult['timings'];
  rows: number;
}

/** Categories rarer than this are folded when the policy has no aggregate zone to say otherwise. */
const DEFAULT_MIN_CATEGORY = 11;

/**
 * A synthetic release of one dataset: read its restricted rows (as the restricted role: no
 * analyst touches them), fit, sample, report, and apply the policy's release gate. A release that
 * passes replaces the rows of `synthetic.<dataset>`; one that fails is recorded as refused with
 * the figures that failed. Either way the release, its reports and its audit event commit in one
 * transaction.
 */
export async function synthesizeDataset(options: SynthesizeDatasetOptions): Promise<SynthesizeDatasetResult> {
  const { database, policy } = options;
  const zone = policy.zones.synthetic;
  if (!zone) throw new AirlockError('BAD_REQUEST', `The policy of ${policy.dataset} declares no synthetic zone; add one to release synthetic data.`);
  options.onProgress?.('read');
  const real = await readRestricted(database, policy);
  if (real.length < 50) {
    throw new AirlockError('BAD_REQUEST', `${policy.dataset} has ${real.length} row(s); synthesis needs at least 50 to model anything. Ingest data first.`);
  }
  const { columns, labels } = synthColumnsFromPolicy(policy);
  const seed = options.seed ?? `airlock-${policy.dataset}`;
  const result = synthesize(
    { columns, rows: real },
    {
      rows: options.rows ?? real.length,
      seed,
      label: labels[0],
      minCategoryCount: policy.zones.aggregate?.minCount ?? DEFAULT_MIN_CATEGORY,
      thresholds: { maxExactMatchRatio: zone.maxExactMatchRatio, maxCloserToTrainShare: zone.maxCloserToTrainShare },
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
  options.onProgress?.('publish');
  const published = result.decision.kind === 'publish';
  const modelJson = canonicalJson(result.model);
  const releaseId = await database.bulk('catalog', async (session) => {
    const [release] = await session.query<{ id: number }>(
      `insert into catalog.synth_releases (dataset, actor, policy_version, policy_sha256, seed, rows, decision, failures, reports, timings, generator_sha256)
       values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10::jsonb, $11) returning id`,
      [
        policy.dataset,
        options.actor.actor,
        options.policyVersion,
        policy.source.sha256,
        String(seed),
        result.rows.length,
        published ? 'published' : 'refused',
        JSON.stringify(result.decision.kind === 'refuse' ? result.decision.failures : []),
        JSON.stringify(result.reports),
        JSON.stringify(result.timings),
        sha256Hex(modelJson),
      ],
    );
    const id = Number(release!.id);
    await session.setRole('restricted');
    await session.query(`insert into restricted.synth_generators (release_id, model) values ($1, $2::jsonb)`, [id, modelJson]);
    if (published) {
      await recreateSyntheticTable(session, policy);
      await session.setRole('synthetic');
      const cols = syntheticColumns(policy);
      await session.copyRows(
        `synthetic.${policy.dataset}`,
        ['_row_id', '_release_id', ...cols.map((c) => c.name)],
        result.rows.map((row) => [randomUUID(), id, ...cols.map((c) => row[c.name] ?? null)]),
      );
    }
    await session.setRole('audit');
    await appendInTransaction(
      session,
      {
        ...options.actor,
        type: 'synth.release',
        action: 'synth',
        dataset: policy.dataset,
        zone: 'synthetic',
        outcome: published ? 'allowed' : 'denied',
        details: {
          releaseId: id,
          rows: result.rows.length,
          quality: result.reports.quality.overall,
          exactMatchRatio: result.reports.privacy.exactMatch.ratio,
          closerToTrainShare: result.reports.privacy.dcr.closerToTrainShare,
          failures: result.decision.kind === 'refuse' ? result.decision.failures.map((f) => f.message) : [],
        },
      },
      new Date(),
    );
    return id;
  });
  return { releaseId, decision: result.decision, reports: result.reports, timings: result.timings, rows: result.rows.length };
}

/** The restricted rows in the shape the generator takes (timestamps as ISO text). */
async function readRestricted(database: AirlockDatabase, policy: DatasetPolicy): Promise<SynthRow[]> {
  const columns = policy.columns.map((c) => quoteIdent(c.name)).join(', ');
  const rows = await database
    .bulk('restricted', (session) => session.query<Record<string, unknown>>(`select ${columns} from restricted.${quoteIdent(policy.dataset)} order by _row_id`))
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === '42P01') return [];
      throw error;
    });
  return rows.map((row) => {
    const out: SynthRow = {};
    for (const [key, value] of Object.entries(row)) out[key] = value instanceof Date ? value.toISOString() : (value as SynthRow[string]);
    return out;
  });
}
