import type { Command } from 'commander';
import { applyPolicies } from '@airlock/catalog';
import { formatProblem, loadPolicies } from '@airlock/policy';
import { CliExit, say, using, warn } from '../output.ts';
import { cliActor, openRuntime } from '../runtime.ts';

export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').description('Validate and apply access policies (policies/*.yaml).');

  policy
    .command('validate')
    .description('Check policy files; exit 1 on errors, 0 when only warnings are printed.')
    .argument('[paths...]', 'policy files or folders', ['policies'])
    .action(async (paths: string[]) => {
      const { policies, problems } = await loadPolicies(paths);
      printProblems(problems);
      const errors = problems.filter((p) => p.severity === 'error').length;
      const warnings = problems.length - errors;
      if (errors > 0) {
        warn(`${errors} error(s), ${warnings} warning(s): fix the errors above and run again.`);
        throw new CliExit(1);
      }
      say(`${policies.length} policy file(s) valid${warnings ? `, ${warnings} warning(s)` : ''}.`);
    });

  policy
    .command('apply')
    .description('Validate, then store each changed policy as a new version (audited). Unchanged files are a no-op.')
    .argument('[paths...]', 'policy files or folders', ['policies'])
    .action(async (paths: string[]) => {
      const { policies, problems } = await loadPolicies(paths);
      printProblems(problems);
      if (problems.some((p) => p.severity === 'error')) {
        warn('Nothing was applied: fix the errors above and run again.');
        throw new CliExit(1);
      }
      await using(openRuntime, async (runtime) => {
        const outcomes = await applyPolicies(runtime.database, policies, cliActor());
        for (const outcome of outcomes) {
          say(
            outcome.kind === 'stored'
              ? `${outcome.name}: stored version ${outcome.version} (sha256 ${outcome.sha256.slice(0, 12)})`
              : `${outcome.name}: unchanged (version ${outcome.version})`,
          );
        }
      });
    });
}

function printProblems(problems: Parameters<typeof formatProblem>[0][]): void {
  for (const problem of problems) warn(formatProblem(problem));
}
