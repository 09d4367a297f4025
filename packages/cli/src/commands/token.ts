import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { AirlockError } from '@airlock/core';
import { say, warn } from '../output.ts';

export function registerTokenCommand(program: Command): void {
  program
    .command('token')
    .description('Mint a signed JWT for the gateway with the development key pair (embedded/dev mode only).')
    .requiredOption('-r, --role <role...>', 'role(s) the token carries, e.g. analyst')
    .option('--sub <name>', 'subject: who the token stands for (shown in the audit log)', 'dev-user')
    .option('--ttl <duration>', 'lifetime, e.g. 15m, 1h, 2d', '1h')
    .addHelpText('after', '\nUse it as: curl -H "Authorization: Bearer $(npx airlock token --role analyst)" ...')
    .action(async (options: { role: string[]; sub: string; ttl: string }) => {
      const [{ loadConfig }, { mintDevToken, parseTtl }] = await Promise.all([import('@airlock/config'), import('@airlock/dev-keys')]);
      const config = loadConfig(process.env, process.cwd(), { verifiesTokens: true });
      const auth = config.auth;
      if (auth.mode !== 'dev') {
        throw new AirlockError(
          'BAD_REQUEST',
          'AIRLOCK_JWKS_URL is set, so tokens come from your identity provider; `airlock token` only mints development tokens.',
        );
      }
      const ttlSeconds = parseTtl(options.ttl);
      if (ttlSeconds > auth.maxTokenLifetimeSeconds) {
        throw new AirlockError(
          'BAD_REQUEST',
          `--ttl ${options.ttl} is longer than the gateway accepts (AIRLOCK_JWT_MAX_LIFETIME = ${auth.maxTokenLifetimeSeconds} s): use a shorter lifetime.`,
        );
      }
      await checkRoles(options.role, config.policiesDir);
      const keyFile = path.join(config.dataDir, 'jwt', 'dev-private.jwk.json');
      if (!existsSync(keyFile)) {
        warn(
          `No development keys in ${config.dataDir} yet: new ones are made, and only a server started with this data folder ` +
            `(AIRLOCK_DATA_DIR) accepts the token. Run this where \`npm start\` runs, or set AIRLOCK_DATA_DIR to its folder.`,
        );
      }
      const token = await mintDevToken({
        dataDir: config.dataDir,
        sub: options.sub,
        roles: options.role,
        ttlSeconds,
        issuer: auth.issuer,
        audience: auth.audience,
      });
      say(token);
    });
}

/** Every role must be one roles.yaml defines: a token for `wizard` would only be refused later. */
async function checkRoles(roles: readonly string[], policiesDir: string): Promise<void> {
  // The role names only (the YAML parser, not the validating schema): `token` stays fast.
  const { roleNamesIn } = await import('@airlock/policy/role-names');
  const text = await readFile(path.join(policiesDir, 'roles.yaml'), 'utf8').catch(() => undefined);
  const known = text === undefined ? undefined : roleNamesIn(text);
  if (known === undefined) return; // no readable roles policy here: the gateway will judge the roles
  const unknown = roles.filter((role) => !known.includes(role));
  if (unknown.length > 0) {
    throw new AirlockError('BAD_REQUEST', `Unknown role(s) ${unknown.map((r) => `"${r}"`).join(', ')}: ${path.join(policiesDir, 'roles.yaml')} defines ${known.join(', ')}.`);
  }
}
