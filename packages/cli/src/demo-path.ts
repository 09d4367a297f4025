import path from 'node:path';

/** Where `airlock demo` writes by default, and `airlock start` finds the demo file: `<AIRLOCK_DATA_DIR>/demo/admissions.csv`. */
export function defaultDemoPath(dataDir: string): string {
  return path.join(dataDir, 'demo', 'admissions.csv');
}
