import { createAuditLog, verifyAuditChain, type CheckedAnchor } from '@airlock/audit';
import type { Operation } from '../operation.ts';
import { CliExit } from '../output.ts';

/** `airlock audit verify`: recompute the chain, check MACs and the anchor; exit 1 when broken. */
export const auditVerify: Operation<Record<string, never>> = async ({ database, actor, out }) => {
  const result = await verifyAuditChain(database);
  switch (result.kind) {
    case 'intact': {
      out.say(`Audit chain intact: ${result.events} event(s), head event ${result.headSeq}, hash ${result.headHash}.`);
      out.say(describeAnchor(result.anchor));
      // The verification is itself audited; its event is the new head (and is anchored).
      const own = await createAuditLog(database).append({
        ...actor,
        type: 'audit.verify',
        action: 'audit verify',
        outcome: 'allowed',
        details: { events: result.events, headSeq: result.headSeq, headHash: result.headHash },
      });
      out.say(`New head: event ${own.seq}, hash ${own.hash} (this verification).`);
      return;
    }
    case 'broken':
      out.warn(`Audit chain BROKEN at event ${result.seq}: ${result.reason}. Events 1..${result.events} are intact.`);
      out.warn(describeAnchor(result.anchor));
      throw new CliExit(1);
  }
};

function describeAnchor(anchor: CheckedAnchor | undefined): string {
  if (!anchor) return 'Anchor: none configured, so removing the newest events would not be detected.';
  if (!anchor.head) return `Anchor: ${anchor.where} records no head yet (it is written by the next audited action).`;
  return `Anchor: ${anchor.where} records event ${anchor.head.seq}, hash ${anchor.head.hash}.`;
}
