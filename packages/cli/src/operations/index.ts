import type { Operation } from '../operation.ts';

/**
 * The operations a CLI may hand to a running server, by name, each loaded only when it runs (so
 * `airlock --help` loads none of the packages behind them).
 */
export const OPERATIONS = {
  'policy apply': async () => (await import('./policy-apply.ts')).policyApply,
  ingest: async () => (await import('./ingest.ts')).ingest,
  rebuild: async () => (await import('./rebuild.ts')).rebuild,
  synth: async () => (await import('./synth.ts')).synth,
  'keys rotate': async () => (await import('./keys-rotate.ts')).keysRotate,
  'audit verify': async () => (await import('./audit-verify.ts')).auditVerify,
  rejects: async () => (await import('./rejects.ts')).rejects,
  remove: async () => (await import('./remove.ts')).remove,
  risk: async () => (await import('./risk.ts')).risk,
} satisfies Record<string, () => Promise<Operation<never>>>;

export type OperationName = keyof typeof OPERATIONS;

export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(OPERATIONS, name);
}

/** The operation's function. */
export async function loadOperation(name: OperationName): Promise<Operation<unknown>> {
  return (await OPERATIONS[name]()) as Operation<unknown>;
}
