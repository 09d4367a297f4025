import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPolicySet } from '@airlock/catalog';
import { InMemoryKeyring } from '@airlock/deid';
import { ingestFile } from '@airlock/ingest';
import { parsePolicyText, type DatasetPolicy, type Policy } from '@airlock/policy';
import { applyRepoPolicies, createTestDatabase, TEST_ACTOR, testDatabaseKinds, type TestDatabase } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPolicies } from './index.ts';

/** A version of the `trips` policy: `columns` after the subject, deidentified for analysts. */
function trips(columns: string[], description = 'Trips'): string {
  return [
    'dataset: trips',
    `description: ${description}`,
    'subject: traveller',
    'columns:',
    '  traveller: { type: string, class: identifier, deidentified: { surrogate: { domain: traveller } } }',
    ...columns.map((c) => `  ${c}`),
    'zones:',
    '  restricted: { roles: [steward] }',
    '  deidentified: { roles: [analyst] }',
    '',
  ].join('\n');
}

describe.each(testDatabaseKinds())('policy apply against loaded tables on %s', (kind) => {
  let test: TestDatabase;
  const keys = InMemoryKeyring.generate(1);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-apply-'));
  let roles: Policy;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
    roles = (await applyRepoPolicies(test.database)).set.roles;
  }, 120_000);
  afterAll(() => test?.drop());

  const version = (columns: string[], description?: string): DatasetPolicy => {
    const parsed = parsePolicyText(path.join(dir, 'trips.yaml'), trips(columns, description), roles.kind === 'roles' ? roles : undefined);
    const errors = parsed.problems.filter((p) => p.severity === 'error');
    if (errors.length || parsed.policy?.kind !== 'dataset') throw new Error(errors.map((e) => e.message).join('; '));
    return parsed.policy;
  };
  const apply = (policy: DatasetPolicy) => applyPolicies({ database: test.database, policies: [policy], keys: () => keys, actor: TEST_ACTOR });
  const columnsOf = async (schema: string) =>
    (
      await sql<{ name: string; not_null: boolean }>`select a.attname as name, a.attnotnull as not_null from pg_attribute a
        join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = ${schema} and c.relname = 'trips' and a.attnum > 0 and not a.attisdropped order by a.attnum`.execute(test.owner)
    ).rows;

  const CITY = 'city: { type: string, class: attribute }';
  const FARE = 'fare: { type: number, class: measure }';

  it('adds a nullable column empty, retires a dropped one, re-derives; refuses what would rewrite loaded values', async () => {
    const v1 = version([CITY, FARE]);
    expect((await apply(v1))[0]).toMatchObject({ kind: 'stored', version: 1, tables: 'absent' });
    const file = path.join(dir, 'trips.csv');
    writeFileSync(file, `traveller,city,fare\n${Array.from({ length: 30 }, (_, i) => `T${i},${i % 2 ? 'Oslo' : 'Lyon'},${10 + i}`).join('\n')}\n`);
    await ingestFile({ database: test.database, policy: v1, policyVersion: 1, keys, file, actor: TEST_ACTOR });

    // Version 2: `seats` added (nullable), `city` retired, `fare` rounded in the open zone.
    const v2 = version(['fare: { type: number, class: measure, deidentified: { grid: 5 } }', 'seats: { type: integer, class: attribute, nullable: true }']);
    const [second] = await apply(v2);
    expect(second).toMatchObject({ kind: 'stored', version: 2, tables: 'reshaped', rebuilt: { rows: 30 } });
    // Raw values stay (city kept, no longer required); the open zone has the new shape.
    expect(await columnsOf('restricted')).toEqual(expect.arrayContaining([{ name: 'city', not_null: false }, { name: 'seats', not_null: false }]));
    expect((await sql<{ n: number }>`select count(city)::int as n from restricted.trips`.execute(test.owner)).rows[0]?.n).toBe(30);
    expect((await columnsOf('deidentified')).map((c) => c.name)).toEqual(['_row_id', '_subject', 'traveller', 'fare', 'seats']);
    const fares = (await sql<{ fare: number }>`select fare from deidentified.trips`.execute(test.owner)).rows.map((r) => r.fare);
    expect(fares.every((f) => f % 5 === 0)).toBe(true);

    // Refused whole: a new required column, and a re-typed one. Nothing stored; version 2 stays.
    const v3 = version(['fare: { type: string, class: attribute }', 'seats: { type: integer, class: attribute, nullable: true }', 'gate: { type: string, class: attribute }']);
    const [third] = await apply(v3);
    expect(third?.kind).toBe('refused');
    const message = third?.kind === 'refused' ? third.error.message : '';
    expect(message).toMatch(/trips\.yaml:\d+:\d+: column "fare" holds double precision values in the 30 loaded row\(s\); the policy now says type string/);
    expect(message).toMatch(/trips\.yaml:\d+:\d+: column "gate" is new, and the 30 row\(s\) already loaded into "trips" have no value for it\. Declare it `nullable: true`/);
    expect(third?.kind === 'refused' && third.error.code).toBe('CONFLICT');
    expect((await loadPolicySet(test.database)).versions.get('trips')?.version).toBe(2);
    expect((await columnsOf('restricted')).map((c) => c.name)).not.toContain('gate');

    // Requiring `seats` is refused while loaded rows are empty there.
    const v4 = version([FARE, 'seats: { type: integer, class: attribute }']);
    const [fourth] = await apply(v4);
    expect(fourth?.kind === 'refused' && fourth.error.message).toMatch(/column "seats" is now required .*but 30 loaded row\(s\) have no value there/);

    // A change that decides no derived value (here the description) stores the version without a rebuild.
    const [same] = await apply(version(['fare: { type: number, class: measure, deidentified: { grid: 5 } }', 'seats: { type: integer, class: attribute, nullable: true }'], 'Trips booked'));
    expect(same).toMatchObject({ kind: 'stored', version: 3, tables: 'exists' });
    expect(same && 'rebuilt' in same ? same.rebuilt : undefined).toBeUndefined();
  }, 240_000);
});
