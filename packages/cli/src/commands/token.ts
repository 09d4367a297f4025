import type { Command } from 'commander';
import { loadConfig } from '@airlock/config';
import { AirlockError } from '@airlock/core';
import { mintDevToken, parseTtl } from '@airlock/dev-keys';
import { say } from '../output.ts';

export function registerTokenCommand(program: Command): void {
  program
    .command('token')
    .description('Mint a signed JWT for the gateway with the development key pair (embedded/dev mode only).')
    .requiredOption('-r, --role <role...>', 'role(s) the token carries, e.g. analyst')
    .option('--sub <name>', 'subject: who the token stands for (shown in the audit log)', 'dev-user')
    .option('--ttl <duration>', 'lifetime, e.g. 15m, 1h, 2d', '1h')
    .addHelpText('after', '\nUse it as: curl -H "Authorization: Bearer $(npx airlock token --role analyst)" ...')
    .action(async (options: { role: string[]; sub: string; ttl: string }) => {
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
