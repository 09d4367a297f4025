import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InMemoryKeyring, SAFE_HARBOR_RESTRICTED_ZIP3 } from '@airlock/deid';
import { writeDemoCsv } from '@airlock/demo';
import { ingestFile, rebuildDataset } from '@airlock/ingest';
import type { DatasetPolicy } from '@airlock/policy';
import { applyRepoPolicies, createTestDatabase, TEST_ACTOR, testDatabaseKinds, type TestDatabase } from '@airlock/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The linkage attack of issue 10, on the demo admissions. The attacker knows, for each target
 * admission, the patient's birth date, sex and ZIP code and the admission date (a neighbour, a
 * news story), and reads the deidentified zone as an analyst does. They keep every published
 * record whose values are consistent with what they know (a band containing the age, a ZIP
 * prefix, a month/quarter/year containing the date, `*`), then pick one patient token among
 * those records at random. The oracle reads the truth from the restricted zone (which patient
 * each published row belongs to, by _row_id → MRN), never from the risk report.
 *
 * Planted bug it catches: skipping the generalization (the zone as the transforms alone publish
 * it). The same attack is run on that zone in the last test, and the check goes red there.
 */

const ROWS = 2000;

interface Target {
  rowId: string;
  mrn: string;
  age: number;
  sex: string;
  zip: string;
  admitted: string;
}

interface AttackResult {
  /** Mean probability that the attacker's pick is the target's patient. */
  precision: number;
  /** Highest such probability over targets. */
  maxPrecision: number;
  /** Targets whose consistent records belong to one patient only (linked for certain). */
  certainLinks: number;
  /** Published records unique on the quasi-identifiers, in distinct real patients. */
  uniqueRecords: number;
  /** 1 / distinct patients in the zone: a blind guess. */
  baseRate: number;
  published: number;
}

function ageAt(birth: string, at: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [ay, am, ad] = at.slice(0, 10).split('-').map(Number) as [number, number, number];
  return ay - by - (am < bm || (am === bm && ad < bd) ? 1 : 0);
}

/** Is a published age label consistent with a known age? (`42`, `40-49`, `80+`, `90+`, `*`.) */
function ageFits(label: string, age: number): boolean {
  const shown = Math.min(age, 90);
  if (label === '*') return true;
  if (label.endsWith('+')) return shown >= Number(label.slice(0, -1));
  const band = /^(\d+)-(\d+)$/u.exec(label);
  if (band) return shown >= Number(band[1]) && shown <= Number(band[2]);
  return Number(label) === shown;
}

function zipFits(label: string, zip: string): boolean {
  const zip3 = SAFE_HARBOR_RESTRICTED_ZIP3.has(zip.slice(0, 3)) ? '000' : zip.slice(0, 3);
  if (label === '*') return true;
  return [...label].every((c, i) => c === '*' || c === zip3[i]);
}

function dateFits(label: string, date: string): boolean {
  if (label === '*') return true;
  const year = date.slice(0, 4);
  const month = Number(date.slice(5, 7));
  if (/^\d{4}$/u.test(label)) return label === year;
  if (/^\d{4}-Q\d$/u.test(label)) return label === `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
  return label === date.slice(0, 7);
}

describe.each(testDatabaseKinds())('the linkage attack on the demo admissions on %s', (kind) => {
  let test: TestDatabase;
  let policy: DatasetPolicy;
  const keys = InMemoryKeyring.generate(1);

  async function attack(): Promise<AttackResult> {
    // Truth, from the restricted zone: each admission's patient and what the attacker knows.
    const truth = await test.database.withZone('restricted', (trx) =>
      sql<{ _row_id: string; mrn: string; birth_date: string; sex: string; zip: string; admitted_at: Date }>`
        select _row_id, mrn, to_char(birth_date, 'YYYY-MM-DD') as birth_date, sex, zip, admitted_at from restricted.admissions`.execute(trx),
    );
    const targets: Target[] = truth.rows.map((r) => {
      const admitted = r.admitted_at.toISOString();
      return { rowId: r._row_id, mrn: r.mrn, age: ageAt(r.birth_date, admitted), sex: r.sex, zip: r.zip, admitted };
    });
    const mrnOfRow = new Map(targets.map((t) => [t.rowId, t.mrn]));
    // What the analyst sees.
    const published = await test.database.withZone('deidentified', (trx) =>
      sql<{ _row_id: string; mrn: string; birth_date: string; sex: string; zip: string; admitted_at: string }>`
        select _row_id, mrn, birth_date::text, sex, zip, admitted_at from deidentified.admissions`.execute(trx),
    );
    // Classes of published quasi-identifier values (the attacker does not know discharge dates,
    // so classes are over what they can match on), with their patient tokens and real patients.
    const classes = new Map<string, { label: { age: string; sex: string; zip: string; admitted: string }; tokens: Set<string>; patients: Set<string> }>();
    const byExactClass = new Map<string, Set<string>>();
    for (const row of published.rows) {
      const key = [row.birth_date, row.sex, row.zip, row.admitted_at].join('|');
      const c = classes.get(key) ?? { label: { age: row.birth_date, sex: row.sex, zip: row.zip, admitted: row.admitted_at }, tokens: new Set(), patients: new Set() };
      c.tokens.add(row.mrn);
      c.patients.add(mrnOfRow.get(row._row_id)!);
      classes.set(key, c);
    }
    // Uniqueness on all the zone's quasi-identifiers (discharge month included), in real patients.
    const full = await test.database.withZone('deidentified', (trx) =>
      sql<{ _row_id: string; key: string }>`select _row_id, concat_ws('|', birth_date, sex, zip, admitted_at, discharged_at) as key from deidentified.admissions`.execute(trx),
    );
    for (const row of full.rows) byExactClass.set(row.key, (byExactClass.get(row.key) ?? new Set()).add(mrnOfRow.get(row._row_id)!));
    const uniqueRecords = full.rows.filter((row) => byExactClass.get(row.key)!.size === 1).length;

    const tokenOfPatient = new Map<string, string>();
    for (const row of published.rows) tokenOfPatient.set(mrnOfRow.get(row._row_id)!, row.mrn);
    let sum = 0;
    let max = 0;
    let certain = 0;
    for (const t of targets) {
      const candidates = new Set<string>();
      for (const c of classes.values()) {
        if (ageFits(c.label.age, t.age) && (c.label.sex === '*' || c.label.sex === t.sex) && zipFits(c.label.zip, t.zip) && dateFits(c.label.admitted, t.admitted)) {
          for (const token of c.tokens) candidates.add(token);
        }
      }
      const mine = tokenOfPatient.get(t.mrn);
      const p = mine !== undefined && candidates.has(mine) ? 1 / candidates.size : 0;
      sum += p;
      max = Math.max(max, p);
      if (p === 1) certain += 1;
    }
    const patients = new Set(published.rows.map((r) => r.mrn)).size;
    return { precision: sum / targets.length, maxPrecision: max, certainLinks: certain, uniqueRecords, baseRate: patients === 0 ? 0 : 1 / patients, published: published.rows.length };
  }

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    const { set } = await applyRepoPolicies(test.database);
    policy = set.datasets.get('admissions')!;
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'airlock-linkage-')), 'admissions.csv');
    await writeDemoCsv(file, { rows: ROWS, seed: 'linkage-attack' });
    await ingestFile({ database: test.database, policy, policyVersion: 1, keys, file, actor: TEST_ACTOR });
  });
  afterAll(() => test.drop());

  it('with the default demo policy: no published record is unique, and precision stays at or under 1/k', async () => {
    const k = policy.zones.deidentified!.k!;
    const result = await attack();
    console.info(`linkage (${kind}, default policy): ${JSON.stringify(result)}`);
    expect(result.published).toBeGreaterThan(ROWS * 0.95);
    expect(result.uniqueRecords).toBe(0);
    expect(result.certainLinks).toBe(0);
    expect(result.maxPrecision).toBeLessThanOrEqual(1 / k);
    expect(result.precision).toBeLessThanOrEqual(1 / k);
  });

  it('goes red on the planted bug: the zone without generalization (transforms only) is linked', async () => {
    // Planted bug: the generalization skipped (k = 1, l = 1 publishes the transforms' output).
    const skipped: DatasetPolicy = { ...policy, zones: { ...policy.zones, deidentified: { ...policy.zones.deidentified!, k: 1, l: 1 } } };
    await rebuildDataset({ database: test.database, policy: skipped, policyVersion: 1, keys, actor: TEST_ACTOR });
    const result = await attack();
    console.info(`linkage (${kind}, generalization skipped): ${JSON.stringify(result)}`);
    expect(result.uniqueRecords).toBeGreaterThan(0);
    expect(result.maxPrecision).toBeGreaterThan(1 / 5);
    // Restore the real zone for any later reader.
    await rebuildDataset({ database: test.database, policy, policyVersion: 1, keys, actor: TEST_ACTOR });
  });
});
