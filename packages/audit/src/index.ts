export { AUDIT_EVENT_TYPES, AUDIT_OUTCOMES, GENESIS_HASH, buildAuditEvent, hashEvent } from './event.ts';
export type { AuditEvent, AuditEventInput, AuditEventType, AuditOutcome } from './event.ts';
export { createAuditLog, appendInTransaction } from './audit-log.ts';
export type { AuditLog } from './audit-log.ts';
export { verifyAuditChain } from './verify.ts';
export type { VerifyResult } from './verify.ts';
export { listAuditEvents } from './query.ts';
export type { AuditFilter } from './query.ts';
