import type { Command } from 'commander';
import { createAuditLog, verifyAuditChain, type CheckedAnchor } from '@airlock/audit';
import { CliExit, say, using, warn } from '../output.ts';
import { cliActor, openRuntime } from '../runtime.ts';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident audit log.');
  audit
    .command('verify')
    .description(
      'Recompute the hash chain, check every event\'s MAC and the head anchored outside the database; exit 1 and name the first broken event if the log was altered.',
    )
    .action(async () => {
      await using(openRuntime, async (runtime) => {
        const result = await verifyAuditChain(runtime.database);
        switch (result.kind) {
          case 'intact': {
            say(`Audit chain intact: ${result.events} event(s), head event ${result.headSeq}, hash ${result.headHash}.`);
            say(describeAnchor(result.anchor));
            // The verification is itself audited; its event is the new head (and is anchored).
            const own = await createAuditLog(runtime.database).append({
              ...cliActor(),
              type: 'audit.verify',
              action: 'audit verify',
              outcome: 'allowed',
              details: { events: result.events, headSeq: result.headSeq, headHash: result.headHash },
            });
            say(`New head: event ${own.seq}, hash ${own.hash} (this verification).`);
            return;
          }
          case 'broken':
            warn(`Audit chain BROKEN at event ${result.seq}: ${result.reason}. Events 1..${result.events} are intact.`);
            warn(describeAnchor(result.anchor));
            throw new CliExit(1);
        }
      });
    });
}

function describeAnchor(anchor: CheckedAnchor | undefined): string {
  if (!anchor) return 'Anchor: none configured, so removing the newest events would not be detected.';
  if (!anchor.head) return `Anchor: ${anchor.where} records no head yet (it is written by the next audited action).`;
  return `Anchor: ${anchor.where} records event ${anchor.head.seq}, hash ${anchor.head.hash}.`;
}
