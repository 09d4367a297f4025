import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_EVENT_TYPES, createAuditLog, hashEvent, listAuditEvents, verifyAuditChain, type AuditEventInput } from './index.ts';

const event = (i: number): AuditEventInput => ({
  type: 'query',
  actor: `user-${i % 3}`,
  roles: ['analyst'],
  action: `op${i}`,
  dataset: 'admissions',
  zone: 'deidentified',
  outcome: 'allowed',
  details: { rows: i, nested: { z: 1, a: [1, 2.5, 'x'] } },
});

describe.each(testDatabaseKinds())('audit log on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
  });
  afterAll(() => test.drop());

  it('the closed vocabulary in code equals the one in the database', async () => {
    const rows = await test.owner.selectFrom('audit.event_types').select('event_type').execute();
    expect(rows.map((r) => r.event_type).sort()).toEqual([...AUDIT_EVENT_TYPES].sort());
  });

  it('8 concurrent writers leave one valid, unforked chain', async () => {
    const log = createAuditLog(test.database);
    await Promise.all(
      Array.from({ length: 8 }, (_, writer) =>
        (async () => {
          for (let i = 0; i < 25; i++) await log.append(event(writer * 100 + i));
        })(),
      ),
    );
    const result = await verifyAuditChain(test.database);
    expect(result).toMatchObject({ kind: 'intact', events: 200 });
    const seqs = await test.owner.selectFrom('audit.events').select(['seq', 'prev_hash']).orderBy('seq').execute();
    expect(seqs.map((r) => r.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(new Set(seqs.map((r) => r.prev_hash)).size).toBe(200);
  });

  it('an unknown event type fails closed', async () => {
    const log = createAuditLog(test.database);
    await expect(log.append({ ...event(1), type: 'nope' as never })).rejects.toMatchObject({ code: 'AUDIT_WRITE_FAILED' });
  });

  it.each(['update audit.events set actor = $$x$$', 'delete from audit.events', 'truncate audit.events'])(
    'the audit role is refused: %s',
    async (statement) => {
      const attempt = test.database.withZone('audit', (trx) => sql.raw(statement).execute(trx), { readOnly: false });
      await expect(attempt).rejects.toMatchObject({ code: '42501' });
    },
  );

  it.each(['update audit.events set actor = $$x$$', 'delete from audit.events where seq = 1', 'truncate audit.events'])(
    'even the owner is refused by the triggers: %s',
    async (statement) => {
      await expect(sql.raw(`set role airlock_owner; ${statement}; reset role`).execute(test.owner)).rejects.toThrow(
        /append-only/,
      );
      await sql`reset role`.execute(test.owner);
    },
  );

  it('lists events newest first with filters and a cursor', async () => {
    const page1 = await listAuditEvents(test.database, { actor: 'user-1' }, { limit: 5 });
    expect(page1).toHaveLength(5);
    expect(page1.every((e) => e.actor === 'user-1')).toBe(true);
    const page2 = await listAuditEvents(test.database, { actor: 'user-1' }, { limit: 5, beforeSeq: page1[4]!.seq });
    expect(page2[0]!.seq).toBeLessThan(page1[4]!.seq);
  });

  describe('tampering behind the application (as the owner, triggers disabled)', () => {
    const tamper = (statement: string) =>
      sql
        .raw(
          `set role airlock_owner; alter table audit.events disable trigger user; ${statement};
           alter table audit.events enable trigger user; reset role;`,
        )
        .execute(test.owner);

    it('a changed row is found at that event', async () => {
      await tamper(`update audit.events set details = '{"rows": 999}' where seq = 57`);
      expect(await verifyAuditChain(test.database)).toMatchObject({ kind: 'broken', seq: 57, events: 56 });
    });

    it('a changed row whose own hash was recomputed is found at that event (its MAC no longer verifies)', async () => {
      const [row] = await listAuditEvents(test.database, {}, { limit: 1, beforeSeq: 58 });
      const forged = hashEvent({ ...row!, details: { rows: 999 } });
      await tamper(`update audit.events set hash = '${forged}' where seq = 57`);
      expect(await verifyAuditChain(test.database)).toMatchObject({ kind: 'broken', seq: 57, events: 56 });
    });

    it('a removed row is found where the gap is', async () => {
      await tamper(`delete from audit.events where seq between 57 and 60`);
      expect(await verifyAuditChain(test.database)).toMatchObject({ kind: 'broken', seq: 57, events: 56 });
    });
  });
});
