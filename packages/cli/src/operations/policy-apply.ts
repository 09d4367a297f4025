import { formatProblem, loadPolicies } from '@airlock/policy';
import { applyPolicies, type ApplyOutcome } from '@airlock/workflows';
import { openKeys } from '../keys.ts';
import type { Operation } from '../operation.ts';
import { CliExit } from '../output.ts';
import { refreshLine } from './synth.ts';
import { riskLine } from './risk.ts';

/**
 * `airlock policy apply`: validate, then apply each changed policy with what its loaded tables
 * need (see `applyPolicies`); exit 1 when a file has errors or a version was refused.
 */
export const policyApply: Operation<{ paths: string[] }> = async ({ config, database, actor, out }, { paths }) => {
  const { policies, problems } = await loadPolicies(paths);
  for (const problem of problems) out.warn(formatProblem(problem));
  if (problems.some((p) => p.severity === 'error')) {
    out.warn('Nothing was applied: fix the errors above and run again.');
    throw new CliExit(1);
  }
  const bars = new Map<string, ReturnType<typeof out.progress>>();
  const outcomes = await applyPolicies({
    database,
    policies,
    keys: () => openKeys(config),
    actor,
    onProgress: (dataset, rows, total) => {
      let bar = bars.get(dataset);
      if (!bar) bars.set(dataset, (bar = out.progress(`rebuild ${dataset}`, total, 'rows')));
      bar.update(rows);
    },
  }).finally(() => {
    for (const bar of bars.values()) bar.stop();
  });
  for (const outcome of outcomes) for (const line of describeOutcome(outcome)) (outcome.kind === 'refused' ? out.warn : out.say)(line);
  const refused = outcomes.filter((o) => o.kind === 'refused');
  if (refused.length > 0) {
    out.warn(`${refused.length} polic${refused.length === 1 ? 'y was' : 'ies were'} refused and not stored; the versions before them are still served.`);
    throw new CliExit(1);
  }
};

/** What applying one policy did, as lines for the terminal. */
export function describeOutcome(outcome: ApplyOutcome): string[] {
  if (outcome.kind === 'refused') return [`${outcome.name}: REFUSED: ${outcome.error.message}`];
  if (outcome.kind === 'unchanged') return [`${outcome.name}: unchanged (version ${outcome.version})`];
  const lines = [`${outcome.name}: stored version ${outcome.version} (sha256 ${outcome.sha256.slice(0, 12)})`];
  if (outcome.tables === 'reshaped') lines.push(`${outcome.name}: loaded tables reshaped for the new columns (raw values are kept; see \`airlock policy apply --help\`).`);
  if (outcome.rebuilt) {
    lines.push(`${outcome.name}: deidentified zone derived again: ${outcome.rebuilt.rows} row(s) in ${outcome.rebuilt.seconds.toFixed(1)} s.`);
    const risk = riskLine(outcome.name, outcome.rebuilt.risk);
    if (risk) lines.push(risk);
  }
  if (outcome.synthetic) {
    lines.push(`${outcome.name}: the synthetic release was withdrawn (its columns changed).`);
    lines.push(refreshLine(outcome.name, outcome.synthetic.refresh) ?? `Run \`airlock synth ${outcome.name}\` for a release with the new columns.`);
  }
  return lines;
}
