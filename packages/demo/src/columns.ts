/**
 * Header names of the demo admissions CSV, in file order. Policies refer to these names, so they
 * are part of the contract: rename one and the demo policy stops matching.
 */
export const DEMO_COLUMNS = [
  'admission_id',
  'mrn',
  'name',
  'ssn',
  'email',
  'birth_date',
  'sex',
  'zip',
  'admitted_at',
  'discharged_at',
  'ward',
  'diagnosis',
  'prior_admissions',
  'length_of_stay',
  'cost',
  'readmitted',
] as const;

/** One of {@link DEMO_COLUMNS}. */
export type DemoColumn = (typeof DEMO_COLUMNS)[number];

/** The wards an admission can be in. Maternity holds only women aged 15 to 50. */
export const DEMO_WARDS = [
  'cardiology',
  'general_medicine',
  'surgery',
  'orthopedics',
  'oncology',
  'icu',
  'maternity',
  'psychiatry',
] as const;

/** One of {@link DEMO_WARDS}. */
export type DemoWard = (typeof DEMO_WARDS)[number];

/**
 * One admission, keyed by CSV header. Dates are strings exactly as written to the file; numbers
 * and the label are typed. All of one patient's rows share `mrn`, `name`, `ssn`, `email`,
 * `birth_date`, `sex` and `zip`.
 */
export interface DemoRow {
  /** `ADM` + 9 digits, unique per row. */
  admission_id: string;
  /** Medical record number, `MRN` + 8 digits, one per patient. */
  mrn: string;
  name: string;
  /** `AAA-GG-SSSS`; area never 000, 666 or 9xx, group and serial never zero. Unique per patient. */
  ssn: string;
  email: string;
  /** `YYYY-MM-DD`. */
  birth_date: string;
  sex: 'F' | 'M';
  /** Five-digit US ZIP code, leading zeros kept. */
  zip: string;
  /** UTC, `YYYY-MM-DDTHH:MM:SSZ`, within 2022-01-01 to 2025-12-31. */
  admitted_at: string;
  /** UTC, `YYYY-MM-DDTHH:MM:SSZ`; `length_of_stay` whole days plus under 24 hours after admission. */
  discharged_at: string;
  ward: DemoWard;
  /** ICD-10-CM code. */
  diagnosis: string;
  /** The patient's admissions before this one, at any hospital in the system. */
  prior_admissions: number;
  /** Whole days between admission and discharge (0 for a same-day stay). */
  length_of_stay: number;
  /** US dollars, rounded to cents. */
  cost: number;
  /** Whether the patient came back within 30 days of discharge (see `demoLogit`). */
  readmitted: boolean;
}
