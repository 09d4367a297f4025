import { randomBytes } from 'node:crypto';
import { sqlRunner } from '@airlock/db';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@airlock/testing';
import { sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  anchorMac,
  appendInTransaction,
  eventMac,
  GENESIS_HASH,
  hashEvent,
  memoryAnchor,
  verifyAuditChain,
  type AuditAnchor,
  type AuditEvent,
  type AuditEventInput,
} from './index.ts';
import { currentAuditKey } from './seal.ts';

/*
 * The tampering suite: an untouched log of 10,000 events verifies, and each tampering below is
 * caught. The attacker has the database (the owner role with triggers disabled, or only the
 * INSERT-only audit role) and knows the algorithm, but not the audit key and not the anchor,
 * which live outside the database. Before audit MACs and the anchor, 6 of the 15 were
 * missed: deleting the newest event, the newest 10 or all, editing and recomputing the later
 * hashes, deleting and renumbering with recomputed hashes, and an event forged by the audit role.
 */

const EVENTS = 10_000;
/**
 * Each tampering is made on the log's first 1,000 events (a valid log of its own, anchored at its
 * head): what the verifier checks does not depend on the length, and rewriting 10,000 events
 * before each of the 26 cases made this the slowest file of the suite.
 */
const LOG_EVENTS = 1_000;

const input = (i: number): AuditEventInput => ({
  type: i % 5 === 0 ? 'model.predict' : 'query',
  actor: `user-${i % 7}`,
  roles: ['analyst'],
  action: `op${i}`,
  dataset: 'admissions',
  zone: 'aggregate',
  outcome: i % 11 === 0 ? 'denied' : 'allowed',
  details: { rows: i, nested: { z: 1, a: [1, 2.5, 'x'] } },
});

type Row = {
  seq: number;
  at: Date;
  event_type: string;
  actor: string;
  roles: string[];
  action: string;
  dataset: string | null;
  zone: string | null;
  outcome: string;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
  mac: string | null;
};

const toEvent = (row: Row): AuditEvent => ({
  seq: Number(row.seq),
  at: row.at,
  type: row.event_type as AuditEvent['type'],
  actor: row.actor,
  roles: row.roles,
  action: row.action,
  dataset: row.dataset,
  zone: row.zone,
  outcome: row.outcome as AuditEvent['outcome'],
  details: row.details,
  prevHash: row.prev_hash,
  hash: row.hash,
  mac: row.mac,
});

/** Re-link a list of events from genesis with freshly computed sha256 hashes (all an attacker can do). */
function rechain(events: AuditEvent[], mac: (event: AuditEvent, index: number) => string | null): AuditEvent[] {
  let prevHash = GENESIS_HASH;
  return events.map((event, index) => {
    const { hash: _h, mac: _m, ...body } = { ...event, seq: index + 1, prevHash };
    const hash = hashEvent(body);
    prevHash = hash;
    const relinked = { ...body, hash, mac: null };
    return { ...relinked, mac: mac(relinked, index) };
  });
}

describe.each(testDatabaseKinds())('audit tampering on %s', (kind) => {
  let test: TestDatabase;
  let pristine: AuditEvent[];
  let log: AuditEvent[];
  let anchor: AuditAnchor;

  /** As the database superuser with the append-only triggers off: anything the database allows. */
  const behindTheApplication = (fn: (trx: Transaction<unknown>) => Promise<unknown>) =>
    test.owner.transaction().execute(async (trx) => {
      await sql`alter table audit.events disable trigger user`.execute(trx);
      await fn(trx as unknown as Transaction<unknown>);
      await sql`alter table audit.events enable trigger user`.execute(trx);
    });

  const readAll = async (): Promise<AuditEvent[]> => {
    const rows = await sql<Row>`select * from audit.events order by seq`.execute(test.owner);
    return rows.rows.map(toEvent);
  };

  const insertRows = async (trx: Transaction<unknown>, events: AuditEvent[]) => {
    for (let start = 0; start < events.length; start += 1_000) {
      const values = events.slice(start, start + 1_000).map(
        (e) =>
          sql`(${e.seq}, ${e.at.toISOString()}, ${e.type}, ${e.actor}, ${e.roles}, ${e.action}, ${e.dataset}, ${e.zone}, ${e.outcome}, ${JSON.stringify(e.details)}::jsonb, ${e.prevHash}, ${e.hash}, ${e.mac})`,
      );
      await sql`insert into audit.events (seq, at, event_type, actor, roles, action, dataset, zone, outcome, details, prev_hash, hash, mac)
        values ${sql.join(values)}`.execute(trx);
    }
  };

  /** Replace the whole table with `events` (the owner rewriting history). */
  const replaceAll = (events: AuditEvent[]) =>
    behindTheApplication(async (trx) => {
      await sql`delete from audit.events`.execute(trx);
      await insertRows(trx, events);
    });

  /** A row written by the INSERT-only audit role, as an attacker holding only that role would. */
  const insertAsAuditRole = (event: AuditEvent) =>
    test.database.withZone(
      'audit',
      (trx) =>
        sqlRunner(trx).query(
          `insert into audit.events (seq, at, event_type, actor, roles, action, dataset, zone, outcome, details, prev_hash, hash, mac)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13)`,
          [event.seq, event.at.toISOString(), event.type, event.actor, event.roles, event.action, event.dataset, event.zone, event.outcome, JSON.stringify(event.details), event.prevHash, event.hash, event.mac],
        ),
      { readOnly: false },
    );

  /** The next event after the head, correctly sha256-chained, with the MAC the attacker picks. */
  const forgedNext = (head: AuditEvent, mac: string | null): AuditEvent => {
    const body = { ...toBody(head), seq: head.seq + 1, prevHash: head.hash, actor: 'nobody', action: 'cover-up', at: new Date() };
    return { ...body, hash: hashEvent(body), mac };
  };

  const verify = () => verifyAuditChain(test.database, { anchor });

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    // 100 transactions of 100 appends each: the same code path as the application, faster.
    for (let t = 0; t < EVENTS / 100; t++) {
      await test.database.withZone(
        'audit',
        async (trx) => {
          for (let i = 0; i < 100; i++) await appendInTransaction(sqlRunner(trx), input(t * 100 + i), new Date(Date.UTC(2026, 0, 1) + (t * 100 + i) * 1000));
        },
        { readOnly: false },
      );
    }
    pristine = await readAll();
    log = pristine.slice(0, LOG_EVENTS);
  }, 600_000);
  afterAll(() => test.drop());

  /** Put `events` back as the whole log, anchored at its head. */
  const restore = async (events: AuditEvent[]) => {
    await replaceAll(events);
    anchor = memoryAnchor();
    const head = events.at(-1)!;
    await anchor.advance({ seq: head.seq, hash: head.hash, mac: anchorMac(currentAuditKey(), head.seq, head.hash) });
  };

  beforeEach(() => restore(log), 120_000);

  it(`an untouched log of ${EVENTS} events verifies, naming its head and the anchor (no false alarm)`, async () => {
    await restore(pristine);
    const result = await verify();
    expect(result).toMatchObject({ kind: 'intact', events: EVENTS, headSeq: EVENTS, headHash: pristine.at(-1)!.hash });
    expect(result.anchor).toEqual({ where: 'memory', head: { seq: EVENTS, hash: pristine.at(-1)!.hash } });
  });

  const mid = LOG_EVENTS / 2;
  const tamperings: Array<[string, () => Promise<unknown>]> = [
    ['1. a changed field, hash left as it was', () => behindTheApplication((t) => sql`update audit.events set details = '{"rows": 999}' where seq = ${mid}`.execute(t))],
    [
      '2. a changed field with its own hash recomputed',
      async () => {
        const e = log[mid - 1]!;
        const hash = hashEvent({ ...toBody(e), actor: 'someone-else' });
        await behindTheApplication((t) => sql`update audit.events set actor = 'someone-else', hash = ${hash} where seq = ${mid}`.execute(t));
      },
    ],
    ['3. an event removed from the middle', () => behindTheApplication((t) => sql`delete from audit.events where seq = ${mid}`.execute(t))],
    ['4. a run of events removed from the middle', () => behindTheApplication((t) => sql`delete from audit.events where seq between ${mid} and ${mid + 99}`.execute(t))],
    ['5. the first event removed', () => behindTheApplication((t) => sql`delete from audit.events where seq = 1`.execute(t))],
    ['6. the newest event removed', () => behindTheApplication((t) => sql`delete from audit.events where seq = ${LOG_EVENTS}`.execute(t))],
    ['7. the newest 10 events removed', () => behindTheApplication((t) => sql`delete from audit.events where seq > ${LOG_EVENTS - 10}`.execute(t))],
    ['8. every event removed', () => behindTheApplication((t) => sql`delete from audit.events`.execute(t))],
    ['9. the table truncated', () => behindTheApplication((t) => sql`truncate audit.events`.execute(t))],
    [
      '10. an event edited and every later hash recomputed',
      () => replaceAll(rechain(log.map((e) => (e.seq === mid ? { ...e, outcome: 'allowed', details: { rows: 0 } } : e)), (e, i) => log[i]!.mac)),
    ],
    [
      '11. an event deleted, the rest renumbered, hashes recomputed',
      () => replaceAll(rechain(log.filter((e) => e.seq !== mid), (e, i) => log[i]!.mac)),
    ],
    [
      '12. an event forged at the head by the INSERT-only audit role, no MAC',
      () => insertAsAuditRole(forgedNext(log.at(-1)!, null)),
    ],
    [
      '13. an event forged at the head by the audit role, a random MAC',
      () => insertAsAuditRole(forgedNext(log.at(-1)!, randomBytes(32).toString('hex'))),
    ],
    [
      '14. an event forged at the head by the audit role, the MAC of the previous head copied',
      () => insertAsAuditRole(forgedNext(log.at(-1)!, log.at(-1)!.mac)),
    ],
    [
      '15. an event forged at the head by the audit role, MAC under the attacker\'s own key',
      () => {
        const forged = forgedNext(log.at(-1)!, null);
        return insertAsAuditRole({ ...forged, mac: eventMac(randomBytes(32), forged.hash) });
      },
    ],
    ['16. the timestamp of an event moved', () => behindTheApplication((t) => sql`update audit.events set at = at - interval '1 day' where seq = ${mid}`.execute(t))],
    ['17. an event type changed to another valid type', () => behindTheApplication((t) => sql`update audit.events set event_type = 'audit.verify' where seq = ${mid}`.execute(t))],
    ['18. a denied outcome changed to allowed', () => behindTheApplication((t) => sql`update audit.events set outcome = 'allowed' where seq = 12 and outcome = 'denied'`.execute(t))],
    ['19. the roles of an event changed', () => behindTheApplication((t) => sql`update audit.events set roles = '{steward}' where seq = ${mid}`.execute(t))],
    [
      '20. two events swapped, renumbered and rechained',
      () => replaceAll(rechain(log.map((e, i) => (i === mid ? log[mid + 1]! : i === mid + 1 ? log[mid]! : e)), (e, i) => log[i]!.mac)),
    ],
    ['21. a MAC removed from an event', () => behindTheApplication((t) => sql`update audit.events set mac = null where seq = ${mid}`.execute(t))],
    [
      '22. a MAC replaced by another event\'s MAC',
      () => behindTheApplication((t) => sql`update audit.events set mac = ${log[mid]!.mac} where seq = ${mid}`.execute(t)),
    ],
    [
      '23. the whole log replaced by a fresh chain signed with the attacker\'s key',
      () => {
        const key = randomBytes(32);
        return replaceAll(rechain(log.map((e) => ({ ...e, actor: 'innocent' })), (e) => eventMac(key, e.hash)));
      },
    ],
    [
      '24. the newest 5 replaced by 5 forged, rechained events',
      () =>
        replaceAll(
          rechain(
            log.map((e) => (e.seq > LOG_EVENTS - 5 ? { ...e, action: 'harmless' } : e)),
            (e, i) => log[i]!.mac,
          ),
        ),
    ],
    [
      '25. the newest 10 removed and 10 appended as the audit role with a correct chain',
      async () => {
        await behindTheApplication((t) => sql`delete from audit.events where seq > ${LOG_EVENTS - 10}`.execute(t));
        let head = log[LOG_EVENTS - 11]!;
        for (let i = 0; i < 10; i++) {
          const next = forgedNext(head, null);
          await insertAsAuditRole(next);
          head = next;
        }
      },
    ],
    [
      '26. the anchor outside the database moved back to an older head without the key',
      async () => {
        const older = log[LOG_EVENTS - 11]!;
        await behindTheApplication((t) => sql`delete from audit.events where seq > ${older.seq}`.execute(t));
        anchor = memoryAnchor();
        await anchor.advance({ seq: older.seq, hash: older.hash, mac: randomBytes(32).toString('hex') });
      },
    ],
  ];

  it('the changed-outcome tampering has a denied event to change', () => {
    expect(log[11]).toMatchObject({ seq: 12, outcome: 'denied' });
  });

  it.each(tamperings)('caught: %s', async (_name, tamper) => {
    await tamper();
    const result = await verify();
    expect(result.kind).toBe('broken');
  });

  it(`all ${tamperings.length} tamperings are distinct cases of the suite`, () => {
    expect(new Set(tamperings.map(([name]) => name)).size).toBe(tamperings.length);
    expect(tamperings.length).toBeGreaterThanOrEqual(15);
  });
});

function toBody(event: AuditEvent): Omit<AuditEvent, 'hash' | 'mac'> {
  const { hash: _hash, mac: _mac, ...body } = event;
  return body;
}
