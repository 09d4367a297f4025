import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InMemoryKeyring, openValue, SAFE_HARBOR_RESTRICTED_ZIP3 } from '@airlock/deid';
import { writeDemoCsv } from '@airlock/demo';
import type { DatasetPolicy } from '@airlock/policy';
import { ADULT_CSV, applyRepoPolicies, createTestDatabase, TEST_ACTOR, testDatabaseKinds, type TestDatabase } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetRowCount, ingestFile, type IngestOptions } from './index.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'airlock-ingest-'));
const DEMO_ROWS = 3000;
const demoFile = path.join(tmp, 'admissions.csv');

describe.each(testDatabaseKinds())('ingest on %s', (kind) => {
  let test: TestDatabase;
  let admissions: DatasetPolicy;
  let adult: DatasetPolicy;
  const keys = InMemoryKeyring.generate(1);
  const ingest = (dataset: 'admissions' | 'adult', file: string, extra: Partial<IngestOptions> = {}) =>
    ingestFile({
      database: test.database,
      policy: dataset === 'admissions' ? admissions : adult,
      policyVersion: 1,
      keys,
      file,
      actor: TEST_ACTOR,
      ...extra,
    });

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    const { set } = await applyRepoPolicies(test.database);
    // These tests check the transforms row by row, so the risk targets (tested in
    // risk.int.test.ts) are turned off here: k = 1 and l = 1 generalize and suppress nothing.
    const repo = set.datasets.get('admissions')!;
    admissions = { ...repo, zones: { ...repo.zones, deidentified: { ...repo.zones.deidentified!, k: 1, l: 1 } } };
    adult = set.datasets.get('adult')!;
    await writeDemoCsv(demoFile, { rows: DEMO_ROWS, seed: 7 });
  });
  afterAll(() => test.drop());

  describe('the demo admissions', () => {
    beforeAll(async () => {
      const summary = await ingest('admissions', demoFile, { batchSize: 700 });
      expect(summary).toMatchObject({ read: DEMO_ROWS, loaded: DEMO_ROWS, rejected: 0, noop: false });
    });

    it('leaves no raw identifier value anywhere in the deidentified schema', async () => {
      const csv = readFileSync(demoFile, 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
      // admission_id, mrn, name, ssn, email, birth_date
      const identifiers = new Set(csv.flatMap((f) => f.slice(0, 6)));
      expect(identifiers.size).toBeGreaterThan(DEMO_ROWS);
      const tables = await test.database.withZone('deidentified', (trx) =>
        sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'deidentified'`.execute(trx),
      );
      let values = 0;
      for (const { table_name } of tables.rows) {
        const rows = await test.database.withZone('deidentified', (trx) =>
          sql<Record<string, unknown>>`select * from ${sql.table(`deidentified.${table_name}`)}`.execute(trx),
        );
        for (const row of rows.rows) {
          for (const value of Object.values(row)) {
            values += 1;
            const text = value instanceof Date ? value.toISOString() : String(value);
            expect(identifiers.has(text), `raw identifier ${text} in deidentified.${table_name}`).toBe(false);
            expect(text).not.toMatch(/MRN\d{8}|ADM\d{9}|\d{3}-\d{2}-\d{4}|@|^\d{4}-\d{2}-\d{2}/);
          }
        }
      }
      expect(values).toBeGreaterThan(DEMO_ROWS * 10);
    });

    it('follows the policy on 100% of rows: ages top-coded at 90, ZIP3 with small areas as 000, months only, tokens and surrogates', async () => {
      const rows = await test.database.withZone('deidentified', (trx) =>
        sql<Record<string, unknown>>`select * from deidentified.admissions`.execute(trx),
      );
      expect(rows.rows).toHaveLength(DEMO_ROWS);
      const restrictedZips = await test.database.withZone('restricted', (trx) =>
        sql<{ zip: string; _row_id: string }>`select zip, _row_id from restricted.admissions`.execute(trx),
      );
      const zipOf = new Map(restrictedZips.rows.map((r) => [r._row_id, r.zip]));
      for (const row of rows.rows) {
        expect(Object.keys(row)).not.toContain('name');
        expect(Object.keys(row)).not.toContain('ssn');
        // Quasi-identifiers are text in the deidentified zone (the risk search may band them).
        expect(Number(row['birth_date'])).toBeLessThanOrEqual(90);
        expect(row['zip']).toMatch(/^\d{3}$/);
        const zip3 = zipOf.get(String(row['_row_id']))!.slice(0, 3);
        expect(row['zip']).toBe(SAFE_HARBOR_RESTRICTED_ZIP3.has(zip3) ? '000' : zip3);
        expect(row['admitted_at']).toMatch(/^\d{4}-\d{2}$/);
        expect(row['discharged_at']).toMatch(/^\d{4}-\d{2}$/);
        expect(row['mrn']).toMatch(/^tk1_[a-z2-7]{32}$/);
        expect(row['admission_id']).toMatch(/^tk1_[a-z2-7]{32}$/);
        expect(row['email']).toMatch(/^sg_[a-z2-7]{26}$/);
        expect(row['_subject']).toBe(row['mrn']);
      }
      // The demo has patients over 89, so top-coding was exercised.
      expect(rows.rows.some((r) => r['birth_date'] === '90')).toBe(true);
    });

    it('keeps the same surrogate for the same value across rows', async () => {
      const rows = await test.database.withZone('deidentified', (trx) =>
        sql<{ mrn: string; email: string }>`select mrn, email from deidentified.admissions`.execute(trx),
      );
      const emailsPerPatient = new Map<string, Set<string>>();
      for (const r of rows.rows) emailsPerPatient.set(r.mrn, (emailsPerPatient.get(r.mrn) ?? new Set()).add(r.email));
      expect([...emailsPerPatient.values()].every((s) => s.size === 1)).toBe(true);
      expect(emailsPerPatient.size).toBeLessThan(DEMO_ROWS); // patients come back
    });

    it.each(['restricted.admissions', 'restricted.vault', 'restricted.ingest_rejects', 'catalog.ingest_sources'])(
      'the deidentified role cannot read %s',
      async (table) => {
        await expect(test.database.withZone('deidentified', (trx) => sql`select * from ${sql.table(table)} limit 1`.execute(trx))).rejects.toMatchObject({
          code: '42501',
        });
      },
    );

    it('keeps reversible tokens sealed in the vault; only the key opens them', async () => {
      const vault = await test.database.withZone('restricted', (trx) =>
        sql<{ public_value: string; sealed: string }>`select public_value, sealed from restricted.vault where domain = 'patient' limit 5`.execute(trx),
      );
      expect(vault.rows.length).toBe(5);
      for (const entry of vault.rows) {
        expect(entry.sealed).not.toMatch(/MRN/i);
        expect(openValue(keys, 'patient', entry.sealed)).toMatch(/^mrn\d{8}$/); // case-folded when tokenized
        expect(() => openValue(InMemoryKeyring.generate(1), 'patient', entry.sealed)).toThrow();
      }
    });

    it('re-ingesting the same file is a no-op', async () => {
      const again = await ingest('admissions', demoFile);
      expect(again).toMatchObject({ noop: true, loaded: 0, alreadyLoaded: DEMO_ROWS });
      const count = await test.database.withZone('restricted', (trx) => sql<{ n: number }>`select count(*)::int as n from restricted.admissions`.execute(trx));
      expect(count.rows[0]!.n).toBe(DEMO_ROWS);
    });

    it('audits the run with its counts', async () => {
      const events = await test.database.withZone('audit', (trx) =>
        sql<{ details: Record<string, unknown> }>`select details from audit.events where event_type = 'ingest' and dataset = 'admissions' order by seq`.execute(trx),
      );
      expect(events.rows.map((e) => e.details['phase'] ?? 'noop')).toEqual(['start', 'end', 'noop']);
      expect(events.rows[1]!.details).toMatchObject({ loaded: DEMO_ROWS, rejected: 0 });
    });
  });

  it('loads the public Adult data set (;-separated, no subject column)', async () => {
    const summary = await ingest('adult', ADULT_CSV, { delimiter: ';' });
    expect(summary).toMatchObject({ read: 30162, loaded: 30162, rejected: 0, risk: { decision: 'published' } });
    expect(summary.published).toBeGreaterThanOrEqual(30162 * 0.95);
    const distinct = await test.database.withZone('deidentified', (trx) =>
      sql<{ n: number }>`select count(distinct _subject)::int as n from deidentified.adult`.execute(trx),
    );
    expect(distinct.rows[0]!.n).toBe(summary.published);
  });

  describe('malformed input', () => {
    const header = 'admission_id,mrn,name,ssn,email,birth_date,sex,zip,admitted_at,discharged_at,ward,diagnosis,prior_admissions,length_of_stay,cost,readmitted';
    const good = (i: number, name = 'Jane Roe') =>
      `ADM9${String(i).padStart(8, '0')},MRN9${String(i).padStart(7, '0')},${name},123-45-6789,j${i}@example.org,1980-01-31,F,10001,2024-02-29T23:30:00-05:00,2024-03-02T10:00:00Z,surgery,K35.80,1,2,1500.50,false`;
    const write = (name: string, content: string | Buffer): string => {
      const file = path.join(tmp, `${kind}-${name}`);
      writeFileSync(file, content);
      return file;
    };
    const rejectsOf = (sha256: string) =>
      test.database.bulk('catalog', async (session) => {
        const [source] = await session.query<{ id: number }>(`select id from catalog.ingest_sources where sha256 = $1`, [sha256]);
        await session.setRole('restricted');
        return session.query<{ line: number; column_name: string | null; reason: string; raw: string }>(
          `select line, column_name, reason, raw from restricted.ingest_rejects where source_id = $1 order by line`,
          [source!.id],
        );
      });
    const restrictedCount = (): Promise<number> => datasetRowCount(test.database, 'admissions');

    it('rejects bad rows with line, column and reason, and loads the rest', async () => {
      const injection = `"Robert'); DROP TABLE restricted.admissions;--"`;
      const file = write(
        'mixed.csv',
        [
          header,
          good(1, injection),
          good(2).replace('1980-01-31', '1980-02-30'),
          good(3).replace(',1500.50,', ',12abc,'),
          good(4).replace(',1,2,', ',1.5,2,'),
          good(5) + ',extra',
          good(6).replace(',F,', ',X,'),
          good(7).replace('MRN90000007', ''),
          good(8).replace('1980-01-31', '2030-01-01'),
          good(9, `"quoted, with ""quotes"" and\nnewline"`),
          "ADM900000010,MRN9000010,x' OR '1'='1,123-45-6789,a@b.c,1980-01-31,M,10001,2024-01-01,2024-01-02,icu,J18.9,0,1,1,true",
        ].join('\n'),
      );
      const before = await restrictedCount();
      const summary = await ingest('admissions', file);
      expect(summary).toMatchObject({ read: 10, loaded: 3, rejected: 7 });
      const rejects = { rows: await rejectsOf(summary.sha256) };
      expect(rejects.rows.map((r) => [r.line, r.column_name])).toEqual([
        [3, 'birth_date'],
        [4, 'cost'],
        [5, 'prior_admissions'],
        [6, null],
        [7, 'sex'],
        [8, 'mrn'],
        [9, 'birth_date'],
      ]);
      expect(rejects.rows[0]!.reason).toMatch(/not a calendar date/);
      expect(rejects.rows[3]!.reason).toMatch(/has 17 field\(s\) but the header has 16/);
      expect(rejects.rows[4]!.reason).toMatch(/not one of the declared values/);
      expect(rejects.rows[0]!.raw).toContain('1980-02-30'); // kept whole for the data owner
      // A birth after the admission fails in the deidentifying age transform: rejected too.
      expect(rejects.rows[6]!.reason).toMatch(/birth date is after the reference date/);
      expect(await restrictedCount()).toBe(before + 3);
      const names = await test.database.withZone('restricted', (trx) =>
        sql<{ name: string }>`select name from restricted.admissions where admission_id in ('ADM900000001', 'ADM900000009', 'ADM900000010') order by admission_id`.execute(trx),
      );
      expect(names.rows.map((r) => r.name)).toEqual([
        "Robert'); DROP TABLE restricted.admissions;--",
        'quoted, with "quotes" and\nnewline',
        "x' OR '1'='1",
      ]);
    });

    it('rejects a row with invalid UTF-8 and keeps it', async () => {
      const bad = Buffer.concat([Buffer.from(`${header}\n${good(20).split(',Jane Roe,')[0]},`), Buffer.from([0xc3, 0x28]), Buffer.from(`,${good(20).split(',Jane Roe,')[1]}\n`)]);
      const summary = await ingest('admissions', write('utf8.csv', bad));
      expect(summary).toMatchObject({ loaded: 0, rejected: 1 });
      expect(summary.sampleRejects[0]).toMatchObject({ line: 2, column: 'name' });
      expect(summary.sampleRejects[0]!.reason).toMatch(/UTF-8/);
    });

    it('fails a file with a huge field, naming the line, and commits nothing of it', async () => {
      const before = await restrictedCount();
      const file = write('huge.csv', `${header}\n${good(30)}\n${good(31, 'x'.repeat(2_000_000))}\n`);
      await expect(ingest('admissions', file)).rejects.toMatchObject({ code: 'INGEST_FILE_INVALID', message: expect.stringMatching(/huge\.csv:3.*--max-record-bytes/) });
      expect(await restrictedCount()).toBe(before);
    });

    it('fails an empty file and a header that does not match, with the fix', async () => {
      await expect(ingest('admissions', write('empty.csv', ''))).rejects.toMatchObject({ code: 'INGEST_FILE_INVALID', message: expect.stringMatching(/is empty: expected a header row/) });
      await expect(ingest('admissions', write('header.csv', 'admission_id,mrn,nickname\n'))).rejects.toMatchObject({
        code: 'INGEST_FILE_INVALID',
        message: expect.stringMatching(/missing column\(s\) name, ssn.*undeclared column\(s\) nickname/),
      });
      await expect(ingest('admissions', write('semicolons.csv', header.replaceAll(',', ';') + '\n'))).rejects.toMatchObject({
        message: expect.stringMatching(/--delimiter/),
      });
    });

    it('accepts a header-only file as zero rows', async () => {
      const summary = await ingest('admissions', write('header-only.csv', `\ufeff${header}\n`));
      expect(summary).toMatchObject({ read: 0, loaded: 0, rejected: 0 });
    });
  });
});
