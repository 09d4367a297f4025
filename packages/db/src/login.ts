import { AirlockError } from '@airlock/core';
import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import { LOGIN_ROLE } from './roles.ts';
import type { Database } from './types.ts';

/**
 * The application's connection string, derived from the owner's (`DATABASE_URL`): the same
 * server, database and options, logging in as `airlock_app` with `password` (none when absent).
 */
export function loginUrl(ownerUrl: string, password: string | undefined): string {
  const url = new URL(ownerUrl);
  url.username = LOGIN_ROLE;
  url.password = password ? encodeURIComponent(password) : '';
  return url.toString();
}

/** Whether migrations have made the login role yet. */
export async function loginRoleExists(owner: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`select exists (select 1 from pg_roles where rolname = ${LOGIN_ROLE}) as found`.execute(owner);
  return Boolean(rows[0]?.found);
}

/**
 * Make sure the application pool can log in as `airlock_app`, and that it is what it should be.
 * When it cannot log in and a password is configured, the owner gives the role that password
 * (every process sets the same one) and tries again.
 */
export async function ensureLogin(options: { owner: Kysely<Database>; appPool: pg.Pool; appUrl: string; appPassword: string | undefined }): Promise<void> {
  const { owner, appPool, appUrl, appPassword } = options;
  let client: pg.PoolClient;
  try {
    client = await appPool.connect();
  } catch (first) {
    if (!appPassword) throw loginError(appUrl, first);
    // E'' with doubled backslashes and quotes: a literal whatever standard_conforming_strings says.
    const literal = `E'${appPassword.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
    await sql.raw(`alter role ${LOGIN_ROLE} password ${literal}`).execute(owner);
    try {
      client = await appPool.connect();
    } catch (second) {
      throw loginError(appUrl, second);
    }
  }
  try {
    const { rows } = await client.query<{ rolsuper: boolean; rolinherit: boolean }>('select rolsuper, rolinherit from pg_roles where rolname = current_user');
    if (!rows[0] || rows[0].rolsuper || rows[0].rolinherit) {
      throw new AirlockError(
        'CONFIG_INVALID',
        `The login role ${LOGIN_ROLE} is a superuser or inherits privileges; it must be neither (ALTER ROLE ${LOGIN_ROLE} NOSUPERUSER NOINHERIT, then run migrations).`,
      );
    }
  } finally {
    client.release();
  }
}

function loginError(appUrl: string, cause: unknown): AirlockError {
  return new AirlockError(
    'DATABASE_UNAVAILABLE',
    `Cannot log in to PostgreSQL as ${LOGIN_ROLE} at ${redactUrl(appUrl)}: ${(cause as Error).message}. ` +
      `Set AIRLOCK_APP_DB_PASSWORD (Airlock gives ${LOGIN_ROLE} that password), or let ${LOGIN_ROLE} in through pg_hba.conf.`,
    { cause },
  );
}

/** A connection string with its password hidden, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
