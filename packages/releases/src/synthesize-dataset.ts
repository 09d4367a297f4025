import { randomUUID } from 'node:crypto';
import { appendInTransaction } from '@airlock/audit';
import { AirlockError, canonicalJson, sha256Hex } from '@airlock/core';
import { quoteIdent, type AirlockDatabase } from '@airlock/db';
import { latestRiskReport, type RiskReportRecord } from '@airlock/ingest';
import { deidentifiedRisk, ROW_SUBJECT, type DatasetPolicy } from '@airlock/policy';
import {
  privateDomainsFromPolicy,
  synthColumnsFromPolicy,
  synthesize,
  type PrivateFitAccount,
  type ReleaseDecision,
  type ReleaseFailure,
  type SynthesisResult,
  type SynthColumn,
  type SynthPhase,
  type SynthRow,
} from '@airlock/synth';
import { chargeSyntheticRelease, type SyntheticCharge } from './privacy-charge.ts';
import { releasedShape, syntheticMatchesRealPeople, type ReleasedTable } from './released-shape.ts';
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
  reports: SynthesisResult['reports'] & { release: ReleaseGateReport; differentialPrivacy?: DifferentialPrivacyReport };
  timings: SynthesisResult['timings'];
  rows: number;
}

/** What a private release spent, and on what (absent for the ordinary generator). */
export interface DifferentialPrivacyReport extends SyntheticCharge {
  readonly fit: PrivateFitAccount;
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
  const privacy = zone.privacy;
  // A private release is paid for before the model sees the data: a refused or failed release
  // has still looked at it. The ledger refuses when the period's releases are used up.
  const charge = privacy ? await chargeSyntheticRelease(database, policy.dataset, privacy, new Date()) : undefined;
  const result = synthesize(
    { columns: charge ? releasedColumns(policy, columns) : columns, rows: real },
    {
      rows: options.rows ?? real.length,
      seed,
      label: labels[0],
      minCategoryCount: policy.zones.aggregate?.minCount ?? DEFAULT_MIN_CATEGORY,
      thresholds: { maxExactMatchRatio: zone.maxExactMatchRatio, maxCloserToTrainShare: zone.maxCloserToTrainShare },
      ...(privacy && charge
        ? {
            private: {
              rho: charge.rho,
              delta: charge.selectionDelta,
              maxRowsPerSubject: privacy.maxRowsPerSubject,
              subjects: policy.subject === ROW_SUBJECT ? undefined : real.map((row) => row[policy.subject] ?? null),
              domains: privateDomainsFromPolicy(policy, privacy),
            },
          }
        : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
  options.onProgress?.('publish');
  const gate = await syntheticReleaseGate(database, policy, real, result.rows, { dropCopies: true });
  const failures = [...(result.decision.kind === 'refuse' ? result.decision.failures : []), ...gate.failures];
  const decision: ReleaseDecision = failures.length === 0 ? { kind: 'publish' } : { kind: 'refuse', failures };
  const reports = { ...result.reports, release: gate.report, ...(charge && result.privateAccount ? { differentialPrivacy: { ...charge, fit: result.privateAccount } } : {}) };
  const published = decision.kind === 'publish';
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
        gate.table.rows,
        published ? 'published' : 'refused',
        JSON.stringify(failures),
        JSON.stringify(reports),
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
        Array.from({ length: gate.table.rows }, (_, r) => [randomUUID(), id, ...cols.map((c) => gate.table.column(c.name)[r] ?? null)]),
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
          rows: gate.table.rows,
          realPersonMatches: gate.report.realPersonMatches,
          quality: result.reports.quality.overall,
          exactMatchRatio: result.reports.privacy.exactMatch.ratio,
          ...(charge ? { epsilon: charge.epsilon, delta: charge.delta, rho: charge.rho } : {}),
          closerToTrainShare: result.reports.privacy.dcr.closerToTrainShare,
          failures: failures.map((f) => f.message),
        },
      },
      new Date(),
    );
    return id;
  });
  return { releaseId, decision, reports, timings: result.timings, rows: gate.table.rows };
}

/**
 * The columns a private fit models: identifiers (fakes, never modelled) and the columns the
 * synthetic zone releases. A column the deidentified zone drops is not released, so it is not
 * worth any of the privacy budget.
 */
function releasedColumns(policy: DatasetPolicy, columns: readonly SynthColumn[]): SynthColumn[] {
  const dropped = new Set(policy.columns.filter((c) => c.deidentified.kind === 'drop').map((c) => c.name));
  return columns.filter((c) => c.kind === 'identifier' || !dropped.has(c.name));
}

/** What the release step adds to the synthesizer's gate. */
export interface ReleaseGateReport {
  /** Risk report whose generalization the release follows (undefined without a deidentified zone). */
  readonly riskReportId: number | undefined;
  /** Levels applied per quasi-identifier. */
  readonly generalization: ReadonlyArray<{ column: string; name: string }>;
  /** Sampled rows the policy's transforms refused (left out). */
  readonly refusedRows: number;
  /** Released rows matching real people on all quasi-identifiers plus a sensitive value (see realPersonMatches). */
  readonly realPersonMatches: number;
  /** Sampled rows dropped before the gate because they reproduced a real person (with `dropCopies`). */
  readonly droppedCopies: number;
}

/**
 * The synthetic zone is never finer than the deidentified one: sampled rows go through the
 * policy's transforms and the deidentified view's generalization (the newest risk report), and
 * the release is refused when that view is not published, or when a released row matches real
 * people on every quasi-identifier plus a sensitive value.
 */
export async function syntheticReleaseGate(
  database: AirlockDatabase,
  policy: DatasetPolicy,
  real: readonly SynthRow[],
  sampled: readonly SynthRow[],
  options: { dropCopies?: boolean } = {},
): Promise<{ table: ReleasedTable; failures: ReleaseFailure[]; report: ReleaseGateReport }> {
  const failures: ReleaseFailure[] = [];
  let generalization: RiskReportRecord['report']['generalization'] | undefined;
  let riskReportId: number | undefined;
  if (deidentifiedRisk(policy) !== undefined) {
    const stored = await latestRiskReport(database, policy.dataset);
    riskReportId = stored?.id;
    if (stored === undefined || stored.report.decision === 'refused') {
      failures.push({
        figure: 'riskTargets',
        value: 0,
        threshold: 1,
        message:
          stored === undefined
            ? `The deidentified view of ${policy.dataset} has no risk report yet, so there is no generalization to follow: run \`airlock rebuild ${policy.dataset}\` first.`
            : `The deidentified view of ${policy.dataset} does not meet its risk targets (report ${stored.id}); the synthetic zone may not be finer, so it is not published either. See \`airlock risk ${policy.dataset}\`.`,
      });
    } else {
      generalization = stored.report.generalization;
    }
  }
  // The identity check compares at the transforms' precision (ages, ZIP3, months), finer than
  // what is released: a sampled row that reproduces a real person's combination there, with their
  // sensitive value, shows the generator memorized that person, even if coarsening hides it.
  const truth = releasedShape(policy, real, []);
  const subjects = truth.kept.map((row, i) => (policy.subject === ROW_SUBJECT ? i : row[policy.subject]));
  let candidates = releasedShape(policy, sampled, []).kept;
  let droppedCopies = 0;
  if (options.dropCopies) {
    // Like fake identifiers equal to a real value, such rows are not released; the gate below then
    // checks what is left, and the count is reported.
    const first = syntheticMatchesRealPeople(policy, truth.table, subjects, releasedShape(policy, candidates, []).table);
    candidates = candidates.filter((_, i) => first.matched[i] === 0);
    droppedCopies = first.rows;
  }
  const matches = syntheticMatchesRealPeople(policy, truth.table, subjects, releasedShape(policy, candidates, []).table);
  const released = releasedShape(policy, candidates, generalization ?? []);
  if (matches.rows > 0) {
    failures.push({
      figure: 'realPersonMatches',
      value: matches.rows,
      threshold: 0,
      message:
        `${matches.rows} synthetic row(s) reproduce real people on every quasi-identifier plus ${matches.firstColumn} (at the transforms' precision, shared by fewer than k real people): ` +
        'the generator memorized them. Re-run with another seed or fewer parents, or coarsen the quasi-identifiers in the policy.',
    });
  }
  return {
    table: released.table,
    failures,
    report: {
      riskReportId,
      generalization: (generalization ?? []).map((g) => ({ column: g.column, name: g.name })),
      refusedRows: sampled.length - candidates.length - droppedCopies,
      realPersonMatches: matches.rows,
      droppedCopies,
    },
  };
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
