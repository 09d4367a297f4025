import type { Command } from 'commander';
import { applyPolicies, loadPolicySet } from '@airlock/catalog';
import { createLogger } from '@airlock/core';
import { startGateway } from '@airlock/gateway';
import { formatProblem, loadPolicies } from '@airlock/policy';
import { say, warn } from '../output.ts';
import { cliActor, describeDatabase, openRuntime } from '../runtime.ts';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'Run Airlock: migrate the database, apply policies/, and serve the gateway (embedded database unless DATABASE_URL is set).',
    )
    .action(async () => {
      const runtime = await openRuntime();
      const logger = createLogger('airlock', runtime.config.logLevel);
      try {
        const { policies, problems } = await loadPolicies([runtime.config.policiesDir]);
        for (const problem of problems) warn(formatProblem(problem));
        if (problems.some((p) => p.severity === 'error')) {
          warn(`Policies in ${runtime.config.policiesDir} have errors; serving the last applied versions.`);
        } else {
          await applyPolicies(runtime.database, policies, { ...cliActor(), actor: 'system:start' });
        }
        const { set, versions } = await loadPolicySet(runtime.database);
        const gateway = await startGateway({
          database: runtime.database,
          host: runtime.config.host,
          port: runtime.config.port,
          logger,
          policies: () => [...versions.keys()],
        });
        say('Airlock is running.');
        say(`  database   ${describeDatabase(runtime)}`);
        say(`  policies   ${[...set.datasets.keys()].join(', ') || '(none)'} + roles (${[...versions.entries()].map(([n, v]) => `${n} v${v.version}`).join(', ')})`);
        say(`  gateway    ${gateway.url}  (/healthz, /readyz)`);
        say('Press Ctrl+C to stop.');
        await waitForSignal();
        say('Stopping...');
        await gateway.close();
      } finally {
        await runtime.close();
      }
    });
}

/** Resolve on the first SIGINT or SIGTERM. */
function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      resolve(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

