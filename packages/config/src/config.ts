import path from 'node:path';
import { AirlockError } from '@airlock/core';
import { readAuthConfig, type AuthConfig } from './auth-config.ts';
import { envReader, type Env } from './env-reader.ts';
import { readGatewayConfig, type GatewayConfig } from './gateway-config.ts';
import { withSecretFiles } from './secret-files.ts';
import { readTrainerConfig, type TrainerConfig } from './trainer-config.ts';

/**
 * Airlock's configuration, read once from the environment, validated as a whole (every problem
 * is reported at once), and frozen. Tests build their own with {@link loadConfig}({ ... }).
 * Settings every process shares are at the top; each service has its section (`gateway`,
 * `auth`, `trainer`, `cli`). Nothing else in Airlock reads the environment.
 */
export interface AirlockConfig {
  /**
   * `NODE_ENV=production` (or `airlock start --production`): refuse development shortcuts — the
   * demo dataset, auto-created audit keys, and (in the gateway's auth config) dev JWT keys.
   */
  readonly production: boolean;
  /**
   * `DATABASE_URL`: the PostgreSQL owner's connection string (a superuser, or a member of
   * `airlock_owner` with CREATEROLE), used to run migrations. The application's connections log
   * in as `airlock_app` on the same server and database. Unset: embedded PostgreSQL (PGlite).
   * Or `DATABASE_URL_FILE`: a file holding it.
   */
  readonly databaseUrl: string | undefined;
  /**
   * `AIRLOCK_APP_DB_PASSWORD`: the password of the `airlock_app` login role (Airlock sets it on
   * the role with the owner's connection when the role cannot log in with it). Unset: the server
   * must let `airlock_app` in without a password (trust, peer or certificate in pg_hba.conf).
   * Or `AIRLOCK_APP_DB_PASSWORD_FILE`: a file holding it.
   */
  readonly appDbPassword: string | undefined;
  /** `AIRLOCK_DATA_DIR` (default `./.airlock`): embedded database, dev keyring and dev JWT keys. */
  readonly dataDir: string;
  /** `AIRLOCK_POLICIES_DIR` (default `./policies`): policy files applied at start. */
  readonly policiesDir: string;
  /** `PORT` (default 4000): HTTP port of the gateway. */
  readonly port: number;
  /** `AIRLOCK_HOST` (default `127.0.0.1`; `0.0.0.0` in containers): address to listen on. */
  readonly host: string;
  /** `AIRLOCK_DB_POOL_SIZE` (default 10): PostgreSQL connections per process. */
  readonly poolSize: number;
  /** `AIRLOCK_KEYRING` (default `<dataDir>/keyring.json`): token keyring file. */
  readonly keyringPath: string;
  /**
   * `AIRLOCK_AUDIT_KEY_FILE` (default `<dataDir>/audit.key`, created on first use): the secret
   * that signs audit events. Keep it off the database host's reach in server mode.
   */
  readonly auditKeyPath: string;
  /**
   * `AIRLOCK_AUDIT_ANCHOR` (default `<dataDir>/audit-head.json`): where the newest audit event is
   * recorded outside the database, so `airlock audit verify` finds removed events.
   */
  readonly auditAnchorPath: string;
  /**
   * `AIRLOCK_DEMO_ROWS` (default 10000, and 0 in production): demo rows loaded by `npm start` into
   * an empty database; 0 = none. Refused above 0 in production: fake people do not belong there.
   */
  readonly demoRows: number;
  /** `AIRLOCK_LOG_LEVEL` (default `info`): pino level. */
  readonly logLevel: string;
  /** The gateway's limits and switches. */
  readonly gateway: GatewayConfig;
  /**
   * How the gateway verifies tokens (and `airlock token` mints dev ones). The production refusal
   * of dev keys applies only where tokens are verified: see {@link LoadConfigOptions.verifiesTokens}.
   */
  readonly auth: AuthConfig;
  /** The training service. */
  readonly trainer: TrainerConfig;
  /** The command line. */
  readonly cli: CliConfig;
}

/** The command line's section. */
export interface CliConfig {
  /**
   * `AIRLOCK_PROGRESS` (`bar` or `lines`, default `bar`): `bar` draws progress bars on stderr when
   * it is a terminal (nothing otherwise); `lines` writes one plain line per update, for logs.
   */
  readonly progress: 'bar' | 'lines';
}

export interface LoadConfigOptions {
  /**
   * This process verifies or mints tokens (`airlock start`, `airlock token`): in production it
   * then refuses the development JWT keys. A trainer or a data-owner command does not need an
   * identity provider, so it is not refused for lacking one.
   */
  verifiesTokens?: boolean;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Read and validate the configuration; throws CONFIG_INVALID naming every bad variable. The
 * secret settings (`DATABASE_URL`, `AIRLOCK_APP_DB_PASSWORD`, `AIRLOCK_METRICS_TOKEN`) may come
 * from files instead, as `<NAME>_FILE` (see {@link withSecretFiles}).
 */
export function loadConfig(environment: Env = process.env, cwd = process.cwd(), options: LoadConfigOptions = {}): AirlockConfig {
  const problems: string[] = [];
  // Secrets given as files (`DATABASE_URL_FILE`, ...) are read first; everything below sees values.
  const env = withSecretFiles(environment, problems, cwd);
  const { integer, oneOf } = envReader(env, problems);

  const databaseUrl = env['DATABASE_URL'] || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql:// (unset it to use the embedded database).');
  }
  const appDbPassword = env['AIRLOCK_APP_DB_PASSWORD'] || undefined;
  if (appDbPassword && !databaseUrl) problems.push('AIRLOCK_APP_DB_PASSWORD is for PostgreSQL: set DATABASE_URL too, or unset it (the embedded database has no passwords).');
  const dataDir = path.resolve(cwd, env['AIRLOCK_DATA_DIR'] || '.airlock');
  const logLevel = env['AIRLOCK_LOG_LEVEL'] || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`AIRLOCK_LOG_LEVEL="${logLevel}" is not one of ${LOG_LEVELS.join(', ')}.`);

  const production = env['NODE_ENV'] === 'production';
  const demoRows = integer('AIRLOCK_DEMO_ROWS', production ? 0 : 10_000, 0, 10_000_000);
  if (production && demoRows > 0) {
    problems.push(`AIRLOCK_DEMO_ROWS=${demoRows} loads the demo dataset, which production (NODE_ENV=production) refuses: unset it or set 0.`);
  }
  const config: AirlockConfig = {
    production,
    databaseUrl,
    appDbPassword,
    dataDir,
    policiesDir: path.resolve(cwd, env['AIRLOCK_POLICIES_DIR'] || 'policies'),
    port: integer('PORT', 4000, 0, 65535),
    host: env['AIRLOCK_HOST'] || '127.0.0.1',
    poolSize: integer('AIRLOCK_DB_POOL_SIZE', 10, 1, 1000),
    keyringPath: path.resolve(cwd, env['AIRLOCK_KEYRING'] || path.join(dataDir, 'keyring.json')),
    auditKeyPath: path.resolve(cwd, env['AIRLOCK_AUDIT_KEY_FILE'] || path.join(dataDir, 'audit.key')),
    auditAnchorPath: path.resolve(cwd, env['AIRLOCK_AUDIT_ANCHOR'] || path.join(dataDir, 'audit-head.json')),
    demoRows,
    logLevel,
    gateway: readGatewayConfig(env, problems),
    auth: readAuthConfig(env, { dataDir, production: production && options.verifiesTokens === true }, problems),
    trainer: readTrainerConfig(env, problems),
    cli: Object.freeze({ progress: oneOf('AIRLOCK_PROGRESS', ['bar', 'lines'], 'bar') }),
  };
  if (problems.length > 0) {
    throw new AirlockError('CONFIG_INVALID', `Invalid configuration:\n  - ${problems.join('\n  - ')}`, {
      details: { problems },
    });
  }
  return Object.freeze(config);
}

/** Where the embedded database keeps its files. */
export function embeddedDatabaseDir(config: AirlockConfig): string {
  return path.join(config.dataDir, 'pgdata');
}
