export { DEMO_COLUMNS, DEMO_WARDS } from './columns.ts';
export type { DemoColumn, DemoRow, DemoWard } from './columns.ts';
export { generateAdmissions } from './admissions.ts';
export type { DemoOptions } from './admissions.ts';
export { writeDemoCsv } from './csv.ts';
export type { DemoCsvOptions, DemoCsvResult } from './csv.ts';
export { demoLogit, ageInYears } from './readmission.ts';
export type { DemoRiskFields } from './readmission.ts';
