import type { BulkSession } from '@airlock/db';
import { deidentifiedRisk, type DatasetPolicy } from '@airlock/policy';
import { anonymize, riskTableOf as riskTableFrom, type RiskReport } from '@airlock/risk';

/** A column left as `keep` whose values are (nearly) unique per row: a key for linkage. */
export interface UniqueColumnWarning {
  readonly column: string;
  /** Distinct values / rows. */
  readonly distinctShare: number;
  readonly message: string;
  readonly fix: string;
}

/** The stored report: the risk package's report plus the data-level lints. */
export type StoredRiskReport = RiskReport & { readonly warnings: readonly UniqueColumnWarning[] };

/** What a derivation did about risk, for summaries and audit details. */
export interface RiskOutcome {
  readonly decision: 'published' | 'refused';
  readonly k: number;
  readonly suppressedRecords: number;
  readonly informationLoss: number | null;
  readonly reportId: number;
  readonly blockers: readonly string[];
  /** Kept columns unique per row: what the policy lint cannot see without the data. */
  readonly warnings: readonly { readonly message: string; readonly fix: string }[];
}

// A kept column is flagged when at least this share of rows have a value no other row has...
const UNIQUE_SHARE = 0.5;
// ...and there are enough rows for that to mean something.
const UNIQUE_MIN_ROWS = 50;

/**
 * Applies the policy's risk targets to a derived deidentified table held in memory
 * (`rows`: [_row_id, _subject, ...published columns in `names` order]). Returns the rows to
 * publish: quasi-identifiers replaced by their generalized labels, suppressed records left out,
 * nothing at all when the targets cannot be met. Pure; the report is stored by the caller.
 */
export function enforceRisk(policy: DatasetPolicy, names: readonly string[], rows: unknown[][]): { publish: unknown[][]; report: StoredRiskReport } | undefined {
  const risk = deidentifiedRisk(policy);
  if (risk === undefined) return undefined;
  const index = new Map(names.map((name, i) => [name, i + 2]));
  const columnOf = (name: string): unknown[] => {
    const i = index.get(name)!;
    return rows.map((row) => row[i]);
  };
  const { report, view } = anonymize(
    riskTableOf(policy, risk, rows, columnOf),
    { k: risk.k, l: risk.l, maxSuppressed: risk.maxSuppressed },
  );
  const warnings = uniqueColumnWarnings(policy, rows.length, columnOf);
  if (view === undefined) return { publish: [], report: { ...report, warnings } };
  const publish: unknown[][] = [];
  const generalized = report.generalization.filter((g) => g.level > 0).map((g) => [index.get(g.column)!, view.columns.get(g.column)!] as const);
  rows.forEach((row, r) => {
    if (view.suppressed[r] === 1) return;
    for (const [i, labels] of generalized) row[i] = labels[r];
    publish.push(row);
  });
  return { publish, report: { ...report, warnings } };
}

function riskTableOf(policy: DatasetPolicy, risk: NonNullable<ReturnType<typeof deidentifiedRisk>>, rows: unknown[][], columnOf: (name: string) => unknown[]) {
  return riskTableFrom(policy, risk, {
    rows: rows.length,
    column: columnOf,
    // Each row is its own subject for `_row` datasets: the subject column is the row id then.
    subjects: policy.subject === '_row' ? undefined : rows.map((row) => row[1]),
  });
}

/** Kept, non-identifier columns whose values are mostly unique per row (cost to the cent, free text). */
function uniqueColumnWarnings(policy: DatasetPolicy, rowCount: number, columnOf: (name: string) => unknown[]): UniqueColumnWarning[] {
  if (rowCount < UNIQUE_MIN_ROWS) return [];
  const out: UniqueColumnWarning[] = [];
  for (const column of policy.columns) {
    if (column.deidentified.kind !== 'keep' || column.class === 'identifier' || column.type === 'boolean') continue;
    const counts = new Map<unknown, number>();
    for (const value of columnOf(column.name)) counts.set(value, (counts.get(value) ?? 0) + 1);
    let single = 0;
    for (const n of counts.values()) if (n === 1) single += 1;
    const share = single / rowCount;
    if (share < UNIQUE_SHARE) continue;
    out.push({
      column: column.name,
      distinctShare: counts.size / rowCount,
      message: `column "${column.name}" is kept and ${(share * 100).toFixed(1)}% of rows have a value no other row has: anyone who knows it (a bill, a measurement) finds the row`,
      fix: column.type === 'integer' || column.type === 'number' ? `bucket or clamp it (deidentified: { bucket: [...] }), or list it under zones.deidentified.quasi_identifiers so k counts it` : `drop it, or class it identifier`,
    });
  }
  return out;
}

/** Stores a report in `catalog.risk_reports` (catalog role) and returns its id. */
export async function storeRiskReport(
  session: BulkSession,
  policy: DatasetPolicy,
  policyVersion: number,
  reason: 'ingest' | 'rebuild' | 'remove',
  report: StoredRiskReport,
): Promise<RiskOutcome> {
  await session.setRole('catalog');
  const [row] = await session.query<{ id: string | number }>(
    `insert into catalog.risk_reports (dataset, reason, policy_version, policy_sha256, decision, k, suppressed_share, information_loss, report)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb) returning id`,
    [policy.dataset, reason, policyVersion, policy.source.sha256, report.decision, report.after?.k ?? 0, report.suppressed.share, report.informationLoss, JSON.stringify(report)],
  );
  return {
    decision: report.decision,
    k: report.after?.k ?? 0,
    suppressedRecords: report.suppressed.records,
    informationLoss: report.informationLoss,
    reportId: Number(row?.id),
    blockers: report.blockers.map((b) => b.column),
    warnings: (report.warnings ?? []).map((w) => ({ message: w.message, fix: w.fix })),
  };
}
