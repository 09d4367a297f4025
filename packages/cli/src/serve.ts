import { loadPolicySet } from '@airlock/catalog';
import { loadConfig } from '@airlock/config';
import { createLogger } from '@airlock/core/logger';
import { startGateway } from '@airlock/gateway';
import { openJobQueue } from '@airlock/models';
import { formatProblem, loadPolicies, type PolicySet } from '@airlock/policy';
import { applyPolicies, loadDemoIfEmpty } from '@airlock/workflows';
import { defaultDemoPath } from './demo-path.ts';
import { openOperatorChannel } from './hand-off.ts';
import { openKeys } from './keys.ts';
import { loadOperation } from './operations/index.ts';
import { describeOutcome } from './operations/policy-apply.ts';
import { refreshLine } from './operations/synth.ts';
import { say, warn } from './output.ts';
import { cliActor, describeDatabase, openRuntime, type Runtime } from './runtime.ts';
import { startRuntimeTrainer } from './trainer-runtime.ts';
import { waitForSignal } from './signals.ts';

/**
 * `airlock start`: migrate, apply policies/, load the demo data into an empty database, serve the
 * gateway (and a trainer), and, on the embedded database, take the other commands' work (see
 * hand-off.ts) until SIGINT or SIGTERM.
 */
export async function serve(options: { production?: boolean | undefined }): Promise<void> {
  // The flag and NODE_ENV are one switch; setting the variable also puts libraries (Express)
  // in their production mode.
  if (options.production) process.env['NODE_ENV'] = 'production';
  // Every setting is checked before the database is opened, so a refusal is immediate.
  const config = loadConfig(process.env, process.cwd(), { verifiesTokens: true });
  const gatewayConfig = config.gateway;
  const runtime = await openRuntime({ config });
  const logger = createLogger('airlock', runtime.config.logLevel);
  try {
    const { policies, problems } = await loadPolicies([runtime.config.policiesDir]);
    for (const problem of problems) warn(formatProblem(problem));
    if (problems.some((p) => p.severity === 'error')) {
      warn(`Policies in ${runtime.config.policiesDir} have errors; serving the last applied versions.`);
    } else {
      const outcomes = await applyPolicies({ database: runtime.database, policies, keys: () => openKeys(runtime.config), actor: { ...cliActor(), actor: 'system:start' } });
      // What changed since the last start (unchanged files say nothing); a refusal keeps the version before.
      for (const outcome of outcomes) if (outcome.kind !== 'unchanged') for (const line of describeOutcome(outcome)) (outcome.kind === 'refused' ? warn : say)(line);
    }
    const { set, versions } = await loadPolicySet(runtime.database);
    const demo = await loadDemo(runtime, set, versions);
    if (demo) say(demo);
    // AIRLOCK_TRAINER=off: this process only enqueues (a queue client, no TensorFlow.js);
    // separate `airlock trainer` processes work.
    const trainsHere = config.trainer.enabled;
    const trainer = trainsHere ? await startRuntimeTrainer(runtime, logger) : undefined;
    const queue = trainer ?? (await openJobQueue({ database: runtime.database, logger }));
    const gateway = await startGateway({
      database: runtime.database,
      host: runtime.config.host,
      port: runtime.config.port,
      logger,
      config: gatewayConfig,
      auth: config.auth,
      keys: () => openKeys(runtime.config),
      trainer: queue,
      facts: () => (trainer ? { trainer: { backend: trainer.backend.backend, tried: trainer.backend.tried } } : { trainer: 'off' }),
    });
    // The embedded database is this process's: other `airlock` commands are handed to it.
    const operator = runtime.config.databaseUrl
      ? undefined
      : await openOperatorChannel(
          runtime.config.dataDir,
          async (name, args, actor, out) => (await loadOperation(name))({ config: runtime.config, database: runtime.database, actor, out }, args),
          (error) => logger.error({ err: error }, 'operator channel'),
        );
    say('Airlock is running.');
    say(`  database   ${describeDatabase(runtime)}`);
    say(`  policies   ${[...set.datasets.keys()].join(', ') || '(none)'} + roles (${[...versions.entries()].map(([n, v]) => `${n} v${v.version}`).join(', ')})`);
    say(`  graphql    ${gateway.url}/graphql   (GraphiQL: ${gateway.url}/graphiql)`);
    say(`  predict    POST ${gateway.url}/models/<id or name@alias>/predict`);
    say(
      trainsHere
        ? `  trainer    in this process (worker threads), TensorFlow.js backend: ${trainer?.backend.backend}`
        : '  trainer    jobs are queued for `airlock trainer` processes (AIRLOCK_TRAINER=off)',
    );
    say(`  health     ${gateway.url}/healthz  ${gateway.url}/readyz  ${gateway.url}/metrics`);
    say(
      config.auth.mode === 'dev'
        ? '  token      npx airlock token --role analyst   (paste it into GraphiQL)'
        : `  token      from your identity provider (iss ${config.auth.issuer}, aud ${config.auth.audience})`,
    );
    if (operator) say(`  commands   airlock policy apply, ingest, synth, rebuild, … in another terminal run in this server (127.0.0.1:${operator.port})`);
    say('Press Ctrl+C to stop.');
    await waitForSignal();
    say('Stopping: finishing in-flight requests...');
    // Graceful: stop accepting, finish in-flight requests (bounded), flush audit writes and
    // the audit anchor, close the database; never hang.
    const backstopMs = gatewayConfig.shutdownTimeoutMs + 5_000;
    const deadline = setTimeout(() => {
      warn(`Shutdown took over ${backstopMs / 1000} s; exiting.`);
      process.exit(1);
    }, backstopMs);
    deadline.unref();
    await operator?.close();
    await gateway.close();
    await queue.stop();
  } finally {
    await runtime.close();
  }
}

const DEMO_DATASET = 'admissions';

/**
 * On a database with no admissions yet, generate the demo admissions (AIRLOCK_DEMO_ROWS, fixed
 * seed) and ingest them, so a first `npm start` has something to query. Returns what it did.
 */
async function loadDemo(runtime: Runtime, set: PolicySet, versions: ReadonlyMap<string, { version: number }>): Promise<string | undefined> {
  const policy = set.datasets.get(DEMO_DATASET);
  if (!policy) return undefined;
  const file = defaultDemoPath(runtime.config.dataDir);
  const loaded = await loadDemoIfEmpty({
    database: runtime.database,
    policy,
    policyVersion: versions.get(DEMO_DATASET)!.version,
    keys: openKeys(runtime.config),
    rows: runtime.config.demoRows,
    file,
    actor: { ...cliActor(), actor: 'system:start' },
  });
  if (!loaded) return undefined;
  const refreshed = refreshLine(DEMO_DATASET, loaded.synthetic);
  return `Loaded ${loaded.ingest.loaded} demo admissions (AIRLOCK_DEMO_ROWS=${runtime.config.demoRows}) from ${file}.${refreshed ? `\n${refreshed}` : ''}`;
}
