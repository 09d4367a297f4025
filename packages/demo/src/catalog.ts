import type { DemoWard } from './columns.ts';

/** How a diagnosis's frequency changes with age, relative to the other diagnoses at that age. */
export type AgeCurve = 'flat' | 'older' | 'frail' | 'young' | 'middle' | 'child' | 'both_ends' | 'childbearing' | 'adult';

/**
 * One (diagnosis, ward) pair the generator can draw. A code may appear under two wards (sepsis on a
 * general ward or in the ICU).
 */
export interface DiagnosisSpec {
  readonly code: string;
  readonly ward: DemoWard;
  /** Relative frequency before the age, sex, season and weekday adjustments. */
  readonly weight: number;
  readonly minAge: number;
  readonly maxAge: number;
  readonly sex?: 'F' | 'M';
  readonly curve: AgeCurve;
  /** Respiratory illness: more common in winter. */
  readonly winter?: boolean;
  /** Planned admissions: rarely start on a weekend, and start in the early morning. */
  readonly elective?: boolean;
  /** A delivery: a woman has at most one in any 300 days. */
  readonly delivery?: boolean;
  /** Median length of stay in days, before age and frailty. */
  readonly losMedian: number;
}

// Frequencies and stays are loosely shaped on US inpatient statistics (AHRQ HCUP's most frequent
// principal diagnoses: deliveries, sepsis, heart failure, pneumonia, COPD, joint replacement lead),
// scaled for a demo; they are not a claim about any real hospital.
export const DIAGNOSES: readonly DiagnosisSpec[] = [
  // cardiology
  { code: 'I50.9', ward: 'cardiology', weight: 6, minAge: 35, maxAge: 100, curve: 'frail', losMedian: 5 },
  { code: 'I21.4', ward: 'cardiology', weight: 3, minAge: 30, maxAge: 100, curve: 'older', losMedian: 4 },
  { code: 'I48.91', ward: 'cardiology', weight: 3, minAge: 30, maxAge: 100, curve: 'older', losMedian: 3 },
  { code: 'I20.0', ward: 'cardiology', weight: 1.5, minAge: 30, maxAge: 100, curve: 'older', losMedian: 2 },
  { code: 'I10', ward: 'cardiology', weight: 0.3, minAge: 20, maxAge: 100, curve: 'flat', losMedian: 2 },
  // general medicine
  { code: 'J18.9', ward: 'general_medicine', weight: 4.5, minAge: 0, maxAge: 100, curve: 'both_ends', winter: true, losMedian: 4 },
  { code: 'J44.1', ward: 'general_medicine', weight: 4, minAge: 40, maxAge: 100, curve: 'older', winter: true, losMedian: 4 },
  { code: 'E11.9', ward: 'general_medicine', weight: 1.5, minAge: 18, maxAge: 100, curve: 'flat', losMedian: 3 },
  { code: 'N39.0', ward: 'general_medicine', weight: 3.5, minAge: 0, maxAge: 100, curve: 'frail', losMedian: 3 },
  { code: 'A41.9', ward: 'general_medicine', weight: 4, minAge: 0, maxAge: 100, curve: 'frail', losMedian: 5 },
  { code: 'N17.9', ward: 'general_medicine', weight: 2, minAge: 18, maxAge: 100, curve: 'frail', losMedian: 4 },
  { code: 'I63.9', ward: 'general_medicine', weight: 2.5, minAge: 30, maxAge: 100, curve: 'older', losMedian: 5 },
  { code: 'K92.2', ward: 'general_medicine', weight: 1.5, minAge: 20, maxAge: 100, curve: 'older', losMedian: 3 },
  { code: 'E86.0', ward: 'general_medicine', weight: 1.2, minAge: 0, maxAge: 100, curve: 'both_ends', losMedian: 2 },
  { code: 'L03.90', ward: 'general_medicine', weight: 2, minAge: 5, maxAge: 100, curve: 'flat', losMedian: 4 },
  { code: 'U07.1', ward: 'general_medicine', weight: 1.2, minAge: 0, maxAge: 100, curve: 'older', winter: true, losMedian: 5 },
  { code: 'J45.901', ward: 'general_medicine', weight: 1, minAge: 2, maxAge: 70, curve: 'child', winter: true, losMedian: 2 },
  { code: 'J21.9', ward: 'general_medicine', weight: 3, minAge: 0, maxAge: 1, curve: 'flat', winter: true, losMedian: 2 },
  { code: 'D64.9', ward: 'general_medicine', weight: 0.2, minAge: 18, maxAge: 100, curve: 'older', losMedian: 2 },
  // surgery
  { code: 'K35.80', ward: 'surgery', weight: 3, minAge: 4, maxAge: 85, curve: 'young', losMedian: 2 },
  { code: 'K80.10', ward: 'surgery', weight: 2, minAge: 18, maxAge: 95, curve: 'middle', elective: true, losMedian: 1 },
  { code: 'K56.609', ward: 'surgery', weight: 1.5, minAge: 18, maxAge: 100, curve: 'older', losMedian: 5 },
  { code: 'K40.90', ward: 'surgery', weight: 1.2, minAge: 18, maxAge: 95, curve: 'middle', elective: true, losMedian: 1 },
  // orthopedics
  { code: 'S72.001A', ward: 'orthopedics', weight: 3, minAge: 50, maxAge: 100, curve: 'frail', losMedian: 6 },
  { code: 'M17.11', ward: 'orthopedics', weight: 2.5, minAge: 45, maxAge: 92, curve: 'middle', elective: true, losMedian: 2 },
  { code: 'M16.11', ward: 'orthopedics', weight: 1.5, minAge: 45, maxAge: 92, curve: 'middle', elective: true, losMedian: 2 },
  { code: 'M86.9', ward: 'orthopedics', weight: 0.2, minAge: 18, maxAge: 100, curve: 'older', losMedian: 8 },
  // oncology
  { code: 'C34.90', ward: 'oncology', weight: 2, minAge: 40, maxAge: 100, curve: 'older', losMedian: 6 },
  { code: 'C18.9', ward: 'oncology', weight: 1.2, minAge: 35, maxAge: 100, curve: 'older', losMedian: 6 },
  { code: 'C50.911', ward: 'oncology', weight: 1.2, minAge: 25, maxAge: 100, sex: 'F', curve: 'middle', losMedian: 3 },
  { code: 'C61', ward: 'oncology', weight: 1, minAge: 45, maxAge: 100, sex: 'M', curve: 'older', losMedian: 3 },
  { code: 'D70.1', ward: 'oncology', weight: 1, minAge: 1, maxAge: 100, curve: 'flat', losMedian: 5 },
  { code: 'C92.00', ward: 'oncology', weight: 0.2, minAge: 0, maxAge: 100, curve: 'flat', losMedian: 14 },
  // intensive care
  { code: 'A41.9', ward: 'icu', weight: 1.5, minAge: 0, maxAge: 100, curve: 'frail', losMedian: 7 },
  { code: 'J96.01', ward: 'icu', weight: 1.5, minAge: 18, maxAge: 100, curve: 'older', winter: true, losMedian: 7 },
  { code: 'R57.0', ward: 'icu', weight: 0.25, minAge: 30, maxAge: 100, curve: 'older', losMedian: 8 },
  { code: 'I46.9', ward: 'icu', weight: 0.2, minAge: 18, maxAge: 100, curve: 'older', losMedian: 9 },
  // maternity: the 15–50 bounds are the rule the tests check
  { code: 'O80', ward: 'maternity', weight: 40, minAge: 15, maxAge: 50, sex: 'F', curve: 'childbearing', delivery: true, losMedian: 2 },
  { code: 'O82', ward: 'maternity', weight: 16, minAge: 15, maxAge: 50, sex: 'F', curve: 'childbearing', elective: true, delivery: true, losMedian: 3 },
  { code: 'O14.90', ward: 'maternity', weight: 2, minAge: 15, maxAge: 50, sex: 'F', curve: 'childbearing', losMedian: 4 },
  { code: 'O47.9', ward: 'maternity', weight: 3, minAge: 15, maxAge: 50, sex: 'F', curve: 'childbearing', losMedian: 0.6 },
  // psychiatry
  { code: 'F32.9', ward: 'psychiatry', weight: 2.5, minAge: 12, maxAge: 95, curve: 'adult', losMedian: 8 },
  { code: 'F20.9', ward: 'psychiatry', weight: 1.2, minAge: 16, maxAge: 85, curve: 'adult', losMedian: 14 },
  { code: 'F31.9', ward: 'psychiatry', weight: 1, minAge: 14, maxAge: 85, curve: 'adult', losMedian: 10 },
  { code: 'F10.239', ward: 'psychiatry', weight: 1.2, minAge: 18, maxAge: 85, curve: 'middle', losMedian: 4 },
];

/** Relative weight of a curve at an age in whole years. */
export function curveWeight(curve: AgeCurve, age: number): number {
  switch (curve) {
    case 'flat':
      return 1;
    case 'older':
      return 0.1 + Math.max(0, age - 30) / 40;
    case 'frail':
      return 0.05 + (Math.max(0, age - 40) / 30) ** 2;
    case 'young':
      return age <= 30 ? 1.5 : Math.max(0.2, 1.5 - (age - 30) / 30);
    case 'middle':
      return Math.max(0.15, 1 - Math.abs(age - 60) / 35);
    case 'child':
      return age < 18 ? 2 : 0.4;
    case 'both_ends':
      return (age < 5 ? 2.5 : 0.6) + Math.max(0, age - 60) / 25;
    case 'childbearing':
      return Math.max(0.05, 1 - Math.abs(age - 30) / 14);
    case 'adult':
      return age < 18 ? 0.5 : age <= 55 ? 1 : 0.5;
  }
}

/**
 * Age at first admission, in bands of whole years `[from, to]` with weights for women and men.
 * Heavier with age, as inpatient populations are; women of childbearing age are heavier still
 * because of deliveries. The 90–96 band exists so HIPAA's 90+ top-coding has rows to act on; its
 * top stays below 97 so no patient passes 100 by the end of the four-year window.
 */
export const AGE_BANDS: readonly { from: number; to: number; female: number; male: number }[] = [
  { from: 0, to: 0, female: 2.5, male: 3 },
  { from: 1, to: 4, female: 1.5, male: 1.8 },
  { from: 5, to: 14, female: 1.5, male: 1.8 },
  { from: 15, to: 17, female: 0.8, male: 0.8 },
  { from: 18, to: 29, female: 7, male: 3.5 },
  { from: 30, to: 44, female: 9, male: 5 },
  { from: 45, to: 54, female: 7, male: 8 },
  { from: 55, to: 64, female: 11, male: 13 },
  { from: 65, to: 74, female: 15, male: 16 },
  { from: 75, to: 84, female: 15, male: 14 },
  { from: 85, to: 89, female: 7, male: 5 },
  { from: 90, to: 96, female: 3, male: 1.8 },
];

/** Fixed cost per admission and cost per day of stay, in US dollars, by ward. */
export const WARD_COST: Readonly<Record<DemoWard, { fixed: number; daily: number }>> = {
  cardiology: { fixed: 6000, daily: 2600 },
  general_medicine: { fixed: 1500, daily: 2100 },
  surgery: { fixed: 9000, daily: 2800 },
  orthopedics: { fixed: 14000, daily: 2500 },
  oncology: { fixed: 4000, daily: 3200 },
  icu: { fixed: 5000, daily: 6500 },
  maternity: { fixed: 3500, daily: 2200 },
  psychiatry: { fixed: 800, daily: 1300 },
};

/**
 * Patients' home ZIP codes with relative weights: a spread of populous urban and suburban ZIPs
 * (several with leading zeros), plus about 3% from ZIP3 areas on HIPAA Safe Harbor's list of
 * prefixes with 20,000 people or fewer (036, 059, 102, 692, 893), so de-identification has to map
 * them to 000.
 */
export const ZIPS: readonly { zip: string; weight: number }[] = [
  ...[
    '10025', '10467', '11226', '11368', '11373', '11220', '60629', '60618', '60647', '90011', '90650', '91331',
    '90044', '77084', '77449', '77036', '79936', '75217', '75052', '85281', '85032', '19120', '19104', '30044',
    '30318', '33012', '33186', '98103', '94110', '94565', '92335', '92683', '02139', '02124', '48228', '43229',
    '44105', '20011', '21215', '28269', '27610', '80219', '55407', '63116', '97229', '89108', '37211', '78521',
    '78245', '46227', '53215', '84118', '06010', '07002', '08701', '01841', '04401',
  ].map((zip, i) => ({ zip, weight: 1 + (i % 3) })),
  ...['03601', '03603', '05903', '05906', '10280', '10282', '69201', '89301'].map((zip) => ({ zip, weight: 0.43 })),
];
