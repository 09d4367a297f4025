import { AirlockError, civilFromDays, createRng } from '@airlock/core';
import type { Rng } from '@airlock/core';
import { Faker, base, en } from '@faker-js/faker';
import { DAY_MS, dateString, timestamp, weekday } from './calendar.ts';
import { AGE_BANDS, DIAGNOSES, WARD_COST, ZIPS, curveWeight } from './catalog.ts';
import type { DiagnosisSpec } from './catalog.ts';
import type { DemoRow } from './columns.ts';
import { UNRECORDED_RISK_SD, completedYears, readmissionLogit } from './readmission.ts';
import { WeightedTable, affinePermutation, poisson, sigmoid } from './sampling.ts';

/** Options for {@link generateAdmissions}. */
export interface DemoOptions {
  /** Exact number of rows to produce: a whole number from 0 to 100,000,000. */
  rows: number;
  /** Any number or string; the same seed gives the same rows. Default `'airlock-demo'`. */
  seed?: number | string;
}

const DEFAULT_SEED = 'airlock-demo';
// Identifiers are permutations of the row and patient index; MRNs have 8 digits, so 1e8 patients
// (and so rows) is the most that stays unique.
const MAX_ROWS = 100_000_000;

const YEAR_MS = 365.2425 * DAY_MS;
const WINDOW_START = Date.UTC(2022, 0, 1);
const WINDOW_END = Date.UTC(2026, 0, 1);
// Patients being emitted at once: their rows interleave, so a patient's admissions sit near each
// other in the file without always being adjacent, and memory stays constant whatever `rows` is.
const ACTIVE_PATIENTS = 16;
// A woman has at most one delivery in this many days.
const DELIVERY_GAP_DAYS = 300;
// Chance that a readmission carries the same diagnosis as the stay before it.
const SAME_DIAGNOSIS_ON_READMISSION = 0.35;

// First admissions: winter about 25% busier than summer, weekends quieter, Mondays busiest, and
// volume growing 2.5% a year.
const FIRST_ADMISSION_DAY = new WeightedTable(
  (function* () {
    const byWeekday = [0.72, 1.1, 1.04, 1.02, 1.0, 0.98, 0.75];
    for (let day = WINDOW_START; day < WINDOW_END; day += DAY_MS) {
      const date = new Date(day);
      const dayOfYear = (day - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY_MS;
      const season = 1 + 0.12 * Math.cos((2 * Math.PI * (dayOfYear - 15)) / 365.25);
      const growth = 1 + 0.025 * (date.getUTCFullYear() - 2022);
      yield [day, season * byWeekday[date.getUTCDay()]! * growth] as const;
    }
  })(),
);

// Hour of admission: emergencies peak from late morning to evening, planned admissions arrive early.
const EMERGENCY_HOUR = new WeightedTable(
  [2, 1.5, 1.2, 1, 1, 1, 1.5, 2.5, 4, 5, 5.5, 6, 6, 6, 6, 6, 6, 5.5, 5, 4.5, 4, 3.5, 3, 2.5].map((w, hour) => [hour, w] as const),
);
const ELECTIVE_HOUR = new WeightedTable([5, 6, 7, 8, 9, 10, 11, 12].map((hour, i) => [hour, [1, 4, 6, 5, 3, 2, 1, 0.5][i]!] as const));

const ZIP_TABLE = new WeightedTable(ZIPS.map(({ zip, weight }) => [zip, weight] as const));
const FEMALE_AGE = new WeightedTable(AGE_BANDS.map((band) => [band, band.female] as const));
const MALE_AGE = new WeightedTable(AGE_BANDS.map((band) => [band, band.male] as const));

interface Patient {
  readonly mrn: string;
  readonly name: string;
  readonly ssn: string;
  readonly email: string;
  readonly sex: 'F' | 'M';
  readonly zip: string;
  readonly birthDate: string;
  readonly birth: readonly [year: number, month: number, day: number];
  /** Unrecorded health (standard normal): sicker patients stay longer and come back more. */
  readonly frailty: number;
  /** Chance of a later, unplanned admission after a stay without readmission. */
  readonly returnRate: number;
  prior: number;
  /** UTC midnight of the next admission; at or past WINDOW_END when there is none. */
  nextDay: number;
  nextIsReadmission: boolean;
  lastDiagnosis: DiagnosisSpec | undefined;
  /** UTC midnight of the last delivery, in ms; -Infinity if none. */
  lastDeliveryDay: number;
}

/** Faker output drawn once per seed, then picked from with the seeded RNG: faker per row is slow. */
interface Pools {
  female: string[];
  male: string[];
  last: string[];
  freeMail: WeightedTable<string>;
  otherMail: string[];
}

/**
 * Streams `rows` synthetic hospital admissions (see {@link DemoRow}); holds a handful of patients
 * in memory whatever `rows` is. Patients average about 1.3 admissions, so distinct `mrn`s are
 * fewer than rows. Everything is fictional, but names come from faker's lists and so may match
 * real people; identifier formats are realistic on purpose, to exercise de-identification.
 *
 * Throws `BAD_REQUEST` when `rows` is not a whole number from 0 to 100,000,000.
 */
export function* generateAdmissions(options: DemoOptions): Generator<DemoRow, void, undefined> {
  const { rows, seed = DEFAULT_SEED } = options;
  if (!Number.isSafeInteger(rows) || rows < 0 || rows > MAX_ROWS) {
    throw new AirlockError('BAD_REQUEST', `rows must be a whole number from 0 to ${MAX_ROWS}, got ${String(rows)}`);
  }
  const rng = createRng(seed);
  const pools = buildPools(new Faker({ locale: [en, base], seed: rng.int(2 ** 31) }));
  const admissionNumber = affinePermutation(rng, 1e9);
  const mrnNumber = affinePermutation(rng, 1e8);
  const ssnNumber = affinePermutation(rng, SSN_COUNT);
  const slots: (Patient | undefined)[] = new Array<Patient | undefined>(ACTIVE_PATIENTS).fill(undefined);
  let patients = 0;

  for (let index = 0; index < rows; index++) {
    const slot = rng.int(ACTIVE_PATIENTS);
    const patient = slots[slot] ?? newPatient(rng, pools, patients++, mrnNumber, ssnNumber);
    const row = admit(rng, patient, `ADM${pad(admissionNumber(index), 9)}`);
    slots[slot] = patient.nextDay < WINDOW_END ? patient : undefined;
    yield row;
  }
}

function buildPools(faker: Faker): Pools {
  const draw = (count: number, make: () => string): string[] => Array.from({ length: count }, make);
  const free = faker.definitions.internet.free_email;
  return {
    female: draw(1000, () => faker.person.firstName('female')),
    male: draw(1000, () => faker.person.firstName('male')),
    last: draw(2000, () => faker.person.lastName()),
    // The first free-mail domain (gmail.com in faker's English list) is the most common.
    freeMail: new WeightedTable(free.map((domain, i) => [domain, i === 0 ? 3 : 1] as const)),
    otherMail: draw(200, () => faker.internet.domainName()),
  };
}

function newPatient(
  rng: Rng,
  pools: Pools,
  index: number,
  mrnNumber: (i: number) => number,
  ssnNumber: (i: number) => number,
): Patient {
  const sex = rng.next() < 0.55 ? 'F' : 'M';
  const band = (sex === 'F' ? FEMALE_AGE : MALE_AGE).sample(rng);
  const ageYears = band.from + rng.next() * (band.to - band.from + 1);
  const firstDay = FIRST_ADMISSION_DAY.sample(rng);
  const birthDays = Math.floor((firstDay - ageYears * YEAR_MS) / DAY_MS);
  const birth = civilFromDays(birthDays);
  const first = rng.pick(sex === 'F' ? pools.female : pools.male);
  const last = rng.pick(pools.last);
  const frailty = rng.normal();
  // Earlier admissions (before the window or elsewhere): overdispersed like real counts, since the
  // Poisson mean varies with frailty and age.
  const priorMean = 0.45 * Math.exp(0.8 * frailty + 0.02 * (ageYears - 55));
  return {
    mrn: `MRN${pad(mrnNumber(index), 8)}`,
    name: `${first} ${last}`,
    ssn: ssnFromIndex(ssnNumber(index)),
    email: email(rng, pools, first, last, birth[0]),
    sex,
    zip: ZIP_TABLE.sample(rng),
    birthDate: dateString(birthDays),
    birth,
    frailty,
    returnRate: Math.min(0.5, 0.06 * Math.exp(0.5 * frailty)),
    prior: Math.min(15, poisson(rng, priorMean)),
    nextDay: firstDay,
    nextIsReadmission: false,
    lastDiagnosis: undefined,
    lastDeliveryDay: -Infinity,
  };
}

function email(rng: Rng, pools: Pools, first: string, last: string, birthYear: number): string {
  const f = slug(first);
  const l = slug(last);
  const local = [`${f}.${l}`, `${f}${l}`, `${f.slice(0, 1)}${l}`, `${f}_${l}`, `${l}.${f}`][rng.int(5)]!;
  const roll = rng.next();
  const suffix = roll < 0.3 ? pad(birthYear % 100, 2) : roll < 0.55 ? String(1 + rng.int(999)) : '';
  const domain = rng.next() < 0.7 ? pools.freeMail.sample(rng) : rng.pick(pools.otherMail);
  return `${local}${suffix}@${domain}`;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function admit(rng: Rng, patient: Patient, admissionId: string): DemoRow {
  const day = patient.nextDay;
  const [year, month, dayOfMonth] = civilFromDays(day / DAY_MS);
  const [by, bm, bd] = patient.birth;
  const age = completedYears(by, bm, bd, year, month, dayOfMonth);
  const dayOfWeek = weekday(day / DAY_MS);
  const weekend = dayOfWeek === 0 || dayOfWeek === 6;
  const canDeliver = day - patient.lastDeliveryDay >= DELIVERY_GAP_DAYS * DAY_MS;

  const previous = patient.lastDiagnosis;
  const spec =
    patient.nextIsReadmission &&
    previous !== undefined &&
    previous.delivery !== true &&
    age <= previous.maxAge &&
    rng.next() < SAME_DIAGNOSIS_ON_READMISSION
      ? previous
      : diagnosisTable(patient.sex, age, month, weekend, canDeliver).sample(rng);

  const hour = (spec.elective === true ? ELECTIVE_HOUR : EMERGENCY_HOUR).sample(rng);
  const admittedMs = day + hour * 3_600_000 + rng.int(3600) * 1000;
  // Log-normal around the diagnosis's median; older and frailer patients stay longer.
  const stay = spec.losMedian * Math.exp(0.5 * rng.normal() + 0.008 * (age - 60) + 0.15 * patient.frailty);
  const lengthOfStay = Math.min(120, Math.round(stay));
  // Under a day on top of the whole days, so the whole days between the timestamps equal the stay.
  const dischargedMs = admittedMs + lengthOfStay * DAY_MS + (1800 + rng.int(23 * 3600)) * 1000;
  const { fixed, daily } = WARD_COST[spec.ward];
  const cost = Math.round((fixed + daily * Math.max(lengthOfStay, 0.5)) * Math.exp(0.25 * rng.normal()) * 100) / 100;

  const row: DemoRow = {
    admission_id: admissionId,
    mrn: patient.mrn,
    name: patient.name,
    ssn: patient.ssn,
    email: patient.email,
    birth_date: patient.birthDate,
    sex: patient.sex,
    zip: patient.zip,
    admitted_at: timestamp(admittedMs),
    discharged_at: timestamp(dischargedMs),
    ward: spec.ward,
    diagnosis: spec.code,
    prior_admissions: patient.prior,
    length_of_stay: lengthOfStay,
    cost,
    readmitted: false,
  };
  // The same log-odds demoLogit(row) gives, without parsing the dates back.
  const logit = readmissionLogit(age, patient.prior, lengthOfStay, spec.code, spec.ward);
  row.readmitted = rng.next() < sigmoid(logit + UNRECORDED_RISK_SD * rng.normal());

  // Schedule the patient's next stay so that the label and the rows agree (see readmission.ts).
  patient.prior++;
  patient.lastDiagnosis = spec;
  if (spec.delivery === true) patient.lastDeliveryDay = day;
  const dischargeDay = Math.floor(dischargedMs / DAY_MS) * DAY_MS;
  patient.nextIsReadmission = row.readmitted;
  if (row.readmitted) {
    // 1 to 28 days after the discharge date, sooner more likely: under 30 days in all.
    patient.nextDay = dischargeDay + (1 + Math.floor(28 * rng.next() ** 1.5)) * DAY_MS;
  } else if (rng.next() < patient.returnRate) {
    // At least 32 days after the discharge date, so more than 30 days after discharge.
    patient.nextDay = dischargeDay + (32 + Math.floor(-Math.log(1 - rng.next()) * 300)) * DAY_MS;
  } else {
    patient.nextDay = WINDOW_END;
  }
  return row;
}

const diagnosisTables = new Map<number, WeightedTable<DiagnosisSpec>>();

/** The diagnosis mix for a sex, age, month (1–12) and weekday, built on first use and kept. */
function diagnosisTable(sex: 'F' | 'M', age: number, month: number, weekend: boolean, canDeliver: boolean): WeightedTable<DiagnosisSpec> {
  const clampedAge = Math.min(Math.max(age, 0), 100);
  // 0 winter (Dec–Feb), 1 spring and autumn, 2 summer (May–Sep).
  const season = month === 12 || month <= 2 ? 0 : month <= 4 || month >= 10 ? 1 : 2;
  const key = ((((sex === 'F' ? 1 : 0) * 101 + clampedAge) * 3 + season) * 2 + (weekend ? 1 : 0)) * 2 + (canDeliver ? 1 : 0);
  let table = diagnosisTables.get(key);
  if (table === undefined) {
    table = new WeightedTable(
      DIAGNOSES.map((spec) => {
        const eligible =
          clampedAge >= spec.minAge &&
          clampedAge <= spec.maxAge &&
          (spec.sex === undefined || spec.sex === sex) &&
          (canDeliver || spec.delivery !== true);
        const seasonal = spec.winter === true ? [1.6, 1, 0.6][season]! : 1;
        const planned = spec.elective === true && weekend ? 0.08 : 1;
        return [spec, eligible ? spec.weight * curveWeight(spec.curve, clampedAge) * seasonal * planned : 0] as const;
      }),
    );
    diagnosisTables.set(key, table);
  }
  return table;
}

// SSN areas 001–899 without 666 (898 values), groups 01–99, serials 0001–9999: never 000, 666 or
// 9xx, which the Social Security Administration does not issue.
const SSN_COUNT = 898 * 99 * 9999;

function ssnFromIndex(value: number): string {
  const serial = (value % 9999) + 1;
  const rest = Math.floor(value / 9999);
  const group = (rest % 99) + 1;
  const areaIndex = Math.floor(rest / 99) + 1;
  const area = areaIndex >= 666 ? areaIndex + 1 : areaIndex;
  return `${pad(area, 3)}-${pad(group, 2)}-${pad(serial, 4)}`;
}

/** `value` (0 <= value < 10^width, width <= 15) with leading zeros. */
function pad(value: number, width: number): string {
  return String(10 ** width + value).slice(1);
}
