import path from 'node:path';
import type { Command } from 'commander';
import { CliExit, say, warn } from '../output.ts';
import { operate } from './operate.ts';

export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').description('Validate and apply access policies (policies/*.yaml).');

  policy
    .command('validate')
    .description('Check policy files; exit 1 on errors, 0 when only warnings are printed.')
    .argument('[paths...]', 'policy files or folders', ['policies'])
    .action(async (paths: string[]) => {
      const { formatProblem, loadPolicies } = await import('@airlock/policy');
      const { policies, problems } = await loadPolicies(paths);
      for (const problem of problems) warn(formatProblem(problem));
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
    .description('Validate, then store each changed policy as a new version (audited) and bring loaded data in line with it. Unchanged files are a no-op.')
    .argument('[paths...]', 'policy files or folders', ['policies'])
    .addHelpText(
      'after',
      '\nA dataset that has data loaded changes with its policy, in one transaction with the new version:\n' +
        '  - a new column is added empty to the loaded rows: it must be `nullable: true` while rows are loaded;\n' +
        '  - a column left out of the policy is retired: its raw values stay in the restricted zone, no open zone shows it;\n' +
        '  - a changed transform, class or zone re-derives the deidentified zone (risk targets enforced again);\n' +
        '  - a synthetic zone whose columns changed is withdrawn, and re-released when the policy refreshes it.\n' +
        'A change that would rewrite loaded values (a new type, a required column with empty rows) is refused\n' +
        'with the reason and the fix; the version before it stays in force. Exit 1 when anything was refused.\n' +
        'While `airlock start` runs on the embedded database, the server does the work.',
    )
    .action(async (paths: string[]) => {
      await operate('policy apply', { paths: paths.map((p) => path.resolve(p)) });
    });
}
