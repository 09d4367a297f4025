import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe.each(testDatabaseKinds())('bulk sessions on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
    await sql
      .raw(`set role airlock_owner; create table restricted.things (id int primary key, label text, score double precision, ok boolean); reset role;`)
      .execute(test.owner);
  });
  afterAll(() => test.drop());

  const awkward = ['plain', 'with "quotes"', 'comma, here', 'new\nline', '', "Robert'); drop table restricted.things;--", 'ünïcödé ✓'];

  it('COPY round-trips awkward text, nulls, numbers and booleans unchanged', async () => {
    const rows: unknown[][] = awkward.map((label, i) => [i, label, i + 0.5, i % 2 === 0]);
    rows.push([100, null, null, null]);
    const copied = await test.database.bulk('restricted', (s) => s.copyRows('restricted.things', ['id', 'label', 'score', 'ok'], rows));
    expect(copied).toBe(rows.length);
    const back = await test.database.withZone('restricted', (trx) =>
      sql<{ id: number; label: string | null; score: number | null; ok: boolean | null }>`select * from restricted.things order by id`.execute(trx),
    );
    expect(back.rows.map((r) => [r.id, r.label, r.score, r.ok])).toEqual(rows);
  });

  it('a failure anywhere in the session leaves nothing written', async () => {
    const attempt = test.database.bulk('restricted', async (s) => {
      await s.copyRows('restricted.things', ['id', 'label'], [[200, 'kept?']]);
      await s.setRole('deidentified');
      await s.query('select * from restricted.things'); // refused: wrong zone
    });
    await expect(attempt).rejects.toMatchObject({ code: '42501' });
    const count = await test.database.withZone('restricted', (trx) => sql<{ n: number }>`select count(*)::int as n from restricted.things where id = 200`.execute(trx));
    expect(count.rows[0]!.n).toBe(0);
  });

  it('copies a CSV file into a table the session role may write, and refuses one it may not', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'airlock-bulk-')), 'things.csv');
    writeFileSync(file, 'id,label,score,ok\n400,from a file,1.5,true\n');
    await test.database.bulk('restricted', (s) => s.copyCsvFile('restricted.things', file));
    const back = await test.database.withZone('restricted', (trx) => sql<{ label: string }>`select label from restricted.things where id = 400`.execute(trx));
    expect(back.rows).toEqual([{ label: 'from a file' }]);
    await expect(test.database.bulk('deidentified', (s) => s.copyCsvFile('restricted.things', file))).rejects.toMatchObject({ code: '42501' });
  });

  it('a duplicate key in a COPY fails the whole batch', async () => {
    const attempt = test.database.bulk('restricted', (s) => s.copyRows('restricted.things', ['id'], [[300], [300]]));
    await expect(attempt).rejects.toMatchObject({ code: '23505' });
    const back = await test.database.withZone('restricted', (trx) => sql<{ n: number }>`select count(*)::int as n from restricted.things where id = 300`.execute(trx));
    expect(back.rows[0]!.n).toBe(0);
  });
});
