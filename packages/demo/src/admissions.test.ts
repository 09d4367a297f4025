import { isAirlockError } from '@airlock/core';
import { describe, expect, it } from 'vitest';
import { DEMO_COLUMNS, DEMO_WARDS, ageInYears, demoLogit, generateAdmissions } from './index.ts';
import type { DemoRow } from './index.ts';

const DAY_MS = 86_400_000;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

// One large sample shared by the statistical tests: generating it is the slow part.
const sample: DemoRow[] = [...generateAdmissions({ rows: 20_000, seed: 'tests' })];

/** ROC AUC by the Mann–Whitney statistic, with tied scores sharing their average rank. */
function auc(scores: readonly number[], labels: readonly boolean[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end < order.length && scores[order[end]!] === scores[order[start]!]) end++;
    const averageRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) {
      if (labels[order[k]!]) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = labels.length - positives;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function byPatient(rows: readonly DemoRow[]): Map<string, DemoRow[]> {
  const patients = new Map<string, DemoRow[]>();
  for (const row of rows) {
    const list = patients.get(row.mrn) ?? [];
    list.push(row);
    patients.set(row.mrn, list);
  }
  for (const list of patients.values()) list.sort((a, b) => a.admitted_at.localeCompare(b.admitted_at));
  return patients;
}

describe('generateAdmissions', () => {
  it('names the columns in the order the demo policy expects', () => {
    expect(DEMO_COLUMNS).toEqual([
      'admission_id', 'mrn', 'name', 'ssn', 'email', 'birth_date', 'sex', 'zip', 'admitted_at',
      'discharged_at', 'ward', 'diagnosis', 'prior_admissions', 'length_of_stay', 'cost', 'readmitted',
    ]);
    expect(Object.keys(sample[0]!)).toEqual([...DEMO_COLUMNS]);
  });

  it('yields exactly the rows asked for', () => {
    for (const rows of [0, 1, 17, 1234]) expect([...generateAdmissions({ rows, seed: 3 })]).toHaveLength(rows);
  });

  it('repeats itself for a seed and changes with it', () => {
    const a = [...generateAdmissions({ rows: 500, seed: 9 })];
    expect([...generateAdmissions({ rows: 500, seed: 9 })]).toEqual(a);
    expect([...generateAdmissions({ rows: 500, seed: 10 })]).not.toEqual(a);
    // A shorter run is a prefix of a longer one with the same seed.
    expect([...generateAdmissions({ rows: 200, seed: 9 })]).toEqual(a.slice(0, 200));
  });

  it('refuses a row count that is not a whole number from 0 to 1e8', () => {
    for (const rows of [-1, 1.5, Number.NaN, 100_000_001]) {
      const attempt = (): unknown => generateAdmissions({ rows }).next();
      expect(attempt).toThrow(/rows must be a whole number/);
      try {
        attempt();
      } catch (error) {
        expect(isAirlockError(error, 'BAD_REQUEST')).toBe(true);
      }
    }
  });

  // Checks collect the offending rows rather than asserting per row: 20,000 rows times a dozen
  // assertions is slow, and a list of bad rows is a better failure message.
  it('writes every field in its documented format', () => {
    const valid = (row: DemoRow): boolean =>
      /^ADM\d{9}$/.test(row.admission_id) &&
      /^MRN\d{8}$/.test(row.mrn) &&
      /^\S.* \S+$/.test(row.name) &&
      /^[a-z0-9._]+@[a-z0-9.-]+\.[a-z]+$/.test(row.email) &&
      /^\d{4}-\d{2}-\d{2}$/.test(row.birth_date) &&
      new Date(`${row.birth_date}T00:00:00Z`).toISOString().slice(0, 10) === row.birth_date &&
      (row.sex === 'F' || row.sex === 'M') &&
      /^\d{5}$/.test(row.zip) &&
      (DEMO_WARDS as readonly string[]).includes(row.ward) &&
      /^[A-Z]\d{2}(\.[0-9A-Z]{1,4})?$/.test(row.diagnosis) &&
      Number.isInteger(row.prior_admissions) &&
      row.prior_admissions >= 0 &&
      Number.isInteger(row.length_of_stay) &&
      row.length_of_stay >= 0 &&
      row.cost > 0 &&
      Math.round(row.cost * 100) / 100 === row.cost &&
      typeof row.readmitted === 'boolean';
    expect(sample.filter((row) => !valid(row))).toEqual([]);
  });

  it('issues SSNs in the real format but never from areas 000, 666 or 9xx', () => {
    const valid = (ssn: string): boolean => {
      const match = /^(\d{3})-(\d{2})-(\d{4})$/.exec(ssn);
      if (match === null) return false;
      const [, area, group, serial] = match;
      return area !== '000' && area !== '666' && !area!.startsWith('9') && group !== '00' && serial !== '0000';
    };
    expect(sample.map((row) => row.ssn).filter((ssn) => !valid(ssn))).toEqual([]);
  });

  it('keeps time consistent: valid UTC timestamps, discharge after admission by the stay', () => {
    const windowStart = Date.UTC(2022, 0, 1);
    const windowEnd = Date.UTC(2026, 0, 1);
    const valid = (row: DemoRow): boolean => {
      const admitted = Date.parse(row.admitted_at);
      const discharged = Date.parse(row.discharged_at);
      const age = ageInYears(row.birth_date, row.admitted_at);
      return (
        TIMESTAMP.test(row.admitted_at) &&
        TIMESTAMP.test(row.discharged_at) &&
        new Date(admitted).toISOString().replace('.000', '') === row.admitted_at &&
        new Date(discharged).toISOString().replace('.000', '') === row.discharged_at &&
        admitted >= windowStart &&
        admitted < windowEnd &&
        discharged > admitted &&
        Math.floor((discharged - admitted) / DAY_MS) === row.length_of_stay &&
        age >= 0 &&
        age <= 100
      );
    };
    expect(sample.filter((row) => !valid(row))).toEqual([]);
  });

  it('admits to maternity only women aged 15 to 50', () => {
    const maternity = sample.filter((row) => row.ward === 'maternity');
    expect(maternity.length).toBeGreaterThan(200);
    for (const row of maternity) {
      expect(row.sex).toBe('F');
      const age = ageInYears(row.birth_date, row.admitted_at);
      expect(age).toBeGreaterThanOrEqual(15);
      expect(age).toBeLessThanOrEqual(50);
    }
  });

  it('gives every admission its own id and every patient their own SSN', () => {
    expect(new Set(sample.map((row) => row.admission_id)).size).toBe(sample.length);
    const patients = byPatient(sample);
    expect(new Set(sample.map((row) => row.ssn)).size).toBe(patients.size);
  });

  it('brings patients back: ~1.3 admissions each, with the same identity every time', () => {
    const patients = byPatient(sample);
    const perPatient = sample.length / patients.size;
    expect(perPatient).toBeGreaterThan(1.15);
    expect(perPatient).toBeLessThan(1.5);
    expect([...patients.values()].filter((rows) => rows.length >= 3).length).toBeGreaterThan(100);
    const identity = (row: DemoRow): string =>
      [row.name, row.ssn, row.email, row.birth_date, row.sex, row.zip].join('|');
    const inconsistent = [...patients.values()].filter((rows) => rows.some((row) => identity(row) !== identity(rows[0]!)));
    expect(inconsistent).toEqual([]);
  });

  it('counts prior admissions up, and schedules the next stay as the label says', () => {
    const broken: [DemoRow, DemoRow][] = [];
    for (const rows of byPatient(sample).values()) {
      for (let i = 1; i < rows.length; i++) {
        const before = rows[i - 1]!;
        const after = rows[i]!;
        const gapDays = (Date.parse(after.admitted_at) - Date.parse(before.discharged_at)) / DAY_MS;
        const ok =
          after.prior_admissions === before.prior_admissions + 1 &&
          gapDays > 0 &&
          (before.readmitted ? gapDays <= 30 : gapDays > 30);
        if (!ok) broken.push([before, after]);
      }
    }
    expect(broken).toEqual([]);
  });

  it('draws realistic populations: the old and the 90+, and small-ZIP3 areas', () => {
    const ages = sample.map((row) => ageInYears(row.birth_date, row.admitted_at));
    const share = (test: (age: number) => boolean): number => ages.filter(test).length / ages.length;
    expect(share((age) => age >= 65)).toBeGreaterThan(0.4);
    expect(share((age) => age >= 90)).toBeGreaterThan(0.01);
    expect(share((age) => age >= 90)).toBeLessThan(0.08);
    expect(share((age) => age < 18)).toBeGreaterThan(0.02);
    const restricted = sample.filter((row) => ['036', '059', '102', '692', '893'].includes(row.zip.slice(0, 3)));
    expect(restricted.length / sample.length).toBeGreaterThan(0.01);
    expect(restricted.length / sample.length).toBeLessThan(0.06);
    expect(new Set(sample.map((row) => row.diagnosis)).size).toBeGreaterThanOrEqual(25);
  });

  it('admits more in winter than in summer, and fewer at weekends', () => {
    const days = sample.map((row) => new Date(row.admitted_at));
    const winter = days.filter((d) => [11, 0, 1].includes(d.getUTCMonth())).length;
    const summer = days.filter((d) => [5, 6, 7].includes(d.getUTCMonth())).length;
    expect(winter / summer).toBeGreaterThan(1.1);
    const weekend = days.filter((d) => d.getUTCDay() === 0 || d.getUTCDay() === 6).length / 2;
    const weekday = (days.length - 2 * weekend) / 5;
    expect(weekend / weekday).toBeLessThan(0.9);
    const respiratory = (months: number[]): number => {
      const rows = sample.filter((row) => months.includes(new Date(row.admitted_at).getUTCMonth()));
      return rows.filter((row) => ['J18.9', 'J44.1', 'U07.1', 'J21.9', 'J45.901'].includes(row.diagnosis)).length / rows.length;
    };
    expect(respiratory([11, 0, 1])).toBeGreaterThan(1.5 * respiratory([5, 6, 7]));
  });

  it('stays longer in the ICU than in maternity, and costs more per stay there', () => {
    const mean = (ward: string, pick: (row: DemoRow) => number): number => {
      const rows = sample.filter((row) => row.ward === ward);
      return rows.reduce((sum, row) => sum + pick(row), 0) / rows.length;
    };
    expect(mean('icu', (row) => row.length_of_stay)).toBeGreaterThan(2 * mean('maternity', (row) => row.length_of_stay));
    expect(mean('icu', (row) => row.cost)).toBeGreaterThan(2 * mean('maternity', (row) => row.cost));
  });
});

describe('the planted readmission signal', () => {
  const labels = sample.map((row) => row.readmitted);

  it('has a base rate between 15% and 25%', () => {
    const rate = labels.filter(Boolean).length / labels.length;
    expect(rate).toBeGreaterThan(0.15);
    expect(rate).toBeLessThan(0.25);
  });

  it('is learnable but not trivial: the true logit ranks well, prior admissions alone less well', () => {
    const trueAuc = auc(sample.map(demoLogit), labels);
    const priorAuc = auc(sample.map((row) => row.prior_admissions), labels);
    expect(trueAuc).toBeGreaterThanOrEqual(0.75);
    expect(trueAuc).toBeLessThan(0.9);
    expect(priorAuc).toBeGreaterThan(0.65);
    expect(priorAuc).toBeLessThan(trueAuc);
  });

  it('matches the label rate it predicts, within noise, in each risk decile', () => {
    // The unrecorded term makes the true probability E[sigmoid(logit + 0.5e)], a little flatter
    // than sigmoid(logit); bins of 2,000 rows still track it within a few points.
    const scored = sample.map((row) => ({ logit: demoLogit(row), label: row.readmitted }));
    scored.sort((a, b) => a.logit - b.logit);
    for (let decile = 0; decile < 10; decile++) {
      const bin = scored.slice(decile * 2000, (decile + 1) * 2000);
      const observed = bin.filter((r) => r.label).length / bin.length;
      const predicted = bin.reduce((sum, r) => sum + 1 / (1 + Math.exp(-r.logit)), 0) / bin.length;
      expect(Math.abs(observed - predicted)).toBeLessThan(0.06);
    }
  });

  it('refuses a ward it does not know', () => {
    expect(() => demoLogit({ ...sample[0]!, ward: 'morgue' as DemoRow['ward'] })).toThrow(/unknown ward "morgue"/);
  });
});
