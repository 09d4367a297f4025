import type { Command } from 'commander';
import { createAuditLog, verifyAuditChain } from '@airlock/audit';
import { CliExit, say, using, warn } from '../output.ts';
import { cliActor, openRuntime } from '../runtime.ts';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident audit log.');
  audit
    .command('verify')
    .description('Recompute the hash chain; exit 1 and name the first broken event if it was altered.')
    .action(async () => {
      await using(openRuntime, async (runtime) => {
        const result = await verifyAuditChain(runtime.database);
        switch (result.kind) {
          case 'intact': {
            say(`Audit chain intact: ${result.events} event(s).`);
            // The verification is itself audited; its event is the new head.
            const own = await createAuditLog(runtime.database).append({
              ...cliActor(),
              type: 'audit.verify',
              action: 'audit verify',
              outcome: 'allowed',
              details: { events: result.events, headHash: result.headHash },
            });
            say(`Head: event ${own.seq}, hash ${own.hash}`);
            say('Keep the head hash somewhere else: removing the newest events is only detectable against it.');
            return;
          }
          case 'broken':
            warn(`Audit chain BROKEN at event ${result.seq}: ${result.reason}. Events 1..${result.events} are intact.`);
            throw new CliExit(1);
        }
      });
    });
}
