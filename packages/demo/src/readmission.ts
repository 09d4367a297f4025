import { AirlockError } from '@airlock/core';
import type { DemoRow, DemoWard } from './columns.ts';

/*
 * The planted readmission model. Each row's label is drawn as
 *
 *   readmitted ~ Bernoulli(sigmoid(demoLogit(row) + 0.5 * e)),   e ~ N(0, 1) per admission,
 *
 * where e stands for what a hospital's data does not record (social support, adherence), and
 *
 *   demoLogit = -3.25
 *             + 1.2 * ln(1 + min(prior_admissions, 6))   strongest single signal
 *             + 0.02 * (age_at_admission - 60)            age in whole years from birth_date
 *             + 0.06 * min(length_of_stay, 30)
 *             + DIAGNOSIS_EFFECT[diagnosis]               e.g. heart failure +0.9, COPD +0.8
 *             + WARD_EFFECT[ward]                         e.g. oncology +0.5, icu +0.4
 *
 * Prior admissions count on a log scale that stops rising at 6, because each readmission adds a
 * prior admission to the patient's next row: a linear effect would let frail patients chain dozens
 * of readmissions, where real risk levels off. Stays count up to 30 days. The generator keeps the label consistent with
 * the rows: a readmitted patient's next row starts within 30 days of discharge (unless that would
 * fall after 2025-12-31), any other next row starts more than 30 days later, and each later row
 * of a patient has prior_admissions one higher. Tests check the base rate (about 20%) and that
 * ranking rows by demoLogit reaches a ROC AUC near 0.8.
 */

const INTERCEPT = -3.25;
const PRIOR_LOG_SCALE = 1.2;
const PRIOR_CAP = 6;
const AGE_PER_YEAR = 0.02;
const LOS_PER_DAY = 0.06;
const LOS_CAP = 30;

/** Standard deviation of the unrecorded per-admission term added to {@link demoLogit}. */
export const UNRECORDED_RISK_SD = 0.5;

// Diagnosis groups known for high 30-day readmission (heart failure, COPD, sepsis, kidney injury,
// chemotherapy complications, alcohol withdrawal, schizophrenia) score up; deliveries and planned
// surgery score down. Codes not listed score 0.
const DIAGNOSIS_EFFECT: ReadonlyMap<string, number> = new Map([
  ['I50.9', 0.9],
  ['J44.1', 0.8],
  ['A41.9', 0.45],
  ['N17.9', 0.5],
  ['D70.1', 0.6],
  ['C92.00', 0.6],
  ['F10.239', 0.6],
  ['F20.9', 0.5],
  ['F31.9', 0.3],
  ['E11.9', 0.3],
  ['K92.2', 0.3],
  ['J96.01', 0.3],
  ['R57.0', 0.4],
  ['I21.4', 0.2],
  ['J18.9', 0.2],
  ['C34.90', 0.3],
  ['S72.001A', 0.2],
  ['J21.9', -0.4],
  ['J45.901', -0.2],
  ['K35.80', -0.7],
  ['K80.10', -0.5],
  ['K40.90', -0.5],
  ['M17.11', -0.6],
  ['M16.11', -0.6],
  ['O80', -0.8],
  ['O82', -0.6],
  ['O47.9', -0.5],
]);

const WARD_EFFECT: Readonly<Record<DemoWard, number>> = {
  cardiology: 0.1,
  general_medicine: 0,
  surgery: -0.2,
  orthopedics: -0.3,
  oncology: 0.5,
  icu: 0.4,
  maternity: -0.4,
  psychiatry: 0.2,
};

/** The row fields {@link demoLogit} reads. */
export type DemoRiskFields = Pick<DemoRow, 'birth_date' | 'admitted_at' | 'prior_admissions' | 'length_of_stay' | 'diagnosis' | 'ward'>;

/**
 * The planted log-odds of `readmitted` for a row, from its recorded columns: what a perfect model
 * of this file could learn. The label was drawn from `sigmoid(demoLogit(row) + 0.5 * e)` with
 * unrecorded noise `e ~ N(0, 1)`, so even this score does not separate the classes perfectly.
 *
 * Throws `BAD_REQUEST` for a ward that is not one of the demo's wards.
 */
export function demoLogit(row: DemoRiskFields): number {
  if (!Object.hasOwn(WARD_EFFECT, row.ward)) {
    throw new AirlockError('BAD_REQUEST', `demoLogit: unknown ward "${row.ward}"; use one of DEMO_WARDS`);
  }
  return readmissionLogit(ageInYears(row.birth_date, row.admitted_at), row.prior_admissions, row.length_of_stay, row.diagnosis, row.ward);
}

/** {@link demoLogit} from the age already known, so the generator need not parse its own dates. */
export function readmissionLogit(age: number, prior: number, lengthOfStay: number, diagnosis: string, ward: DemoWard): number {
  return (
    INTERCEPT +
    PRIOR_LOG_SCALE * Math.log1p(Math.min(prior, PRIOR_CAP)) +
    AGE_PER_YEAR * (age - 60) +
    LOS_PER_DAY * Math.min(lengthOfStay, LOS_CAP) +
    (DIAGNOSIS_EFFECT.get(diagnosis) ?? 0) +
    WARD_EFFECT[ward]
  );
}

/**
 * Completed years between a `YYYY-MM-DD` birth date and a date or timestamp that starts
 * `YYYY-MM-DD`. Someone born on 29 February turns a year older on 1 March in common years.
 */
export function ageInYears(birthDate: string, at: string): number {
  return completedYears(
    Number(birthDate.slice(0, 4)),
    Number(birthDate.slice(5, 7)),
    Number(birthDate.slice(8, 10)),
    Number(at.slice(0, 4)),
    Number(at.slice(5, 7)),
    Number(at.slice(8, 10)),
  );
}

/** {@link ageInYears} on calendar parts (month 1–12), for callers that already hold numbers. */
export function completedYears(by: number, bm: number, bd: number, y: number, m: number, d: number): number {
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
