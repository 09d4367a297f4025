import { AirlockError } from '@airlock/core';
import { latestRiskReport, type RiskOutcome, type RiskReportRecord } from '@airlock/ingest';
import { appliedPolicy } from '../applied-policy.ts';
import type { Operation } from '../operation.ts';

/** `airlock risk`: the stored re-identification risk report of a dataset's deidentified zone. */
export const risk: Operation<{ dataset: string; json?: boolean | undefined }> = async ({ database, out }, { dataset, json }) => {
  await appliedPolicy(database, dataset);
  const record = await latestRiskReport(database, dataset);
  if (record === undefined) {
    throw new AirlockError('NOT_FOUND', `No risk report for "${dataset}" yet: it is written by \`airlock ingest ${dataset} <file>\` and \`airlock rebuild ${dataset}\`.`);
  }
  if (json) out.say(JSON.stringify(record, null, 2));
  else for (const line of formatRiskReport(record)) out.say(line);
};

/** The report as lines of text for the terminal. */
export function formatRiskReport(record: RiskReportRecord): string[] {
  const { report } = record;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const t = report.targets;
  const out = [
    `${record.dataset}: ${report.decision.toUpperCase()} (report ${record.id}, ${record.reason} at ${record.createdAt.toISOString()}, policy version ${record.policyVersion})`,
    `targets: k ${t.k}, l ${t.l}, at most ${pct(t.maxSuppressed)} suppressed; quasi-identifiers: ${report.quasiIdentifiers.join(', ') || '(none)'}; sensitive: ${report.sensitive.join(', ') || '(none)'}`,
  ];
  for (const [label, m] of [['before (transforms only)', report.before], ['published', report.after]] as const) {
    if (m === null) {
      out.push(`${label}: nothing published`);
      continue;
    }
    out.push(
      `${label}: ${m.records} records in ${m.classes} classes; k ${m.k}; ${m.l.map((x) => `l(${x.column}) ${x.l}`).join(', ') || 'no sensitive column'}; ` +
        `unique ${pct(m.uniqueShare)}; prosecutor risk highest ${m.prosecutor.highest.toFixed(3)}, average ${m.prosecutor.average.toFixed(3)}, ` +
        `${pct(m.prosecutor.shareAbove)} of records above ${m.prosecutor.threshold.toFixed(3)}`,
    );
    out.push(`  class sizes: ${m.distribution.map((b) => `${b.size}: ${b.classes} classes / ${b.records} records`).join('; ')}`);
  }
  out.push(`generalized: ${report.generalization.map((g) => `${g.column} → ${g.name} (level ${g.level} of ${g.maxLevel})`).join('; ')}`);
  out.push(`suppressed: ${report.suppressed.records} records (${pct(report.suppressed.share)}); information loss: ${report.informationLoss === null ? 'n/a' : report.informationLoss.toFixed(3)}`);
  out.push(`search: ${report.search.evaluated} of ${report.search.latticeSize} generalizations measured${report.search.optimal ? ', least loss proven' : ', budget reached (best found)'}`);
  for (const b of report.blockers) out.push(`in the way: ${b.column}: ${b.reason}`);
  for (const w of report.warnings ?? []) out.push(`warning: ${w.message}. Fix: ${w.fix}`);
  return out;
}

/** One line for ingest and rebuild summaries. */
export function riskLine(dataset: string, risk: RiskOutcome | undefined): string | undefined {
  if (risk === undefined) return undefined;
  const warnings = risk.warnings.map((w) => `\nwarning: ${w.message}. Fix: ${w.fix}`).join('');
  if (risk.decision === 'refused') {
    return `${dataset}: deidentified zone NOT published: the risk targets cannot be met (in the way: ${risk.blockers.join(', ')}); see \`airlock risk ${dataset}\`.${warnings}`;
  }
  return `${dataset}: deidentified zone published with k ${risk.k}, ${risk.suppressedRecords} record(s) suppressed, information loss ${risk.informationLoss?.toFixed(3)}; details: \`airlock risk ${dataset}\`.${warnings}`;
}
