/**
 * The contract every benchmark in `bench/` follows. A benchmark is a file `bench/<name>.ts`
 * whose default export runs it and returns results; `bench/run.ts` runs them all (or the names
 * given on the command line), prints a table and writes `bench/results/latest.json`.
 *
 * Every result compares Airlock against a baseline measured in the same run, as a ratio
 * (`figure / baseline.figure`), so results from noisy machines can still be compared.
 */
export interface BenchResult {
  /** e.g. `audit append, sequential`. */
  name: string;
  figure: number;
  /** e.g. `events/s`, `ms`, `rows/s`, `MB`. */
  unit: string;
  /** The same work done the plain way, in the same run and the same unit. */
  baseline?: { name: string; figure: number } | undefined;
  /** Free text: database kind, sizes, backend, anything needed to read the figure. */
  notes?: string | undefined;
}

export interface BenchContext {
  /** `AIRLOCK_BENCH_QUICK=1`: smaller sizes, for a smoke run. */
  quick: boolean;
  /** PostgreSQL URL of a server to create scratch databases on (`AIRLOCK_BENCH_PG_URL`), if any. */
  pgAdminUrl: string | undefined;
  log(message: string): void;
}

export type Benchmark = (ctx: BenchContext) => Promise<BenchResult[]>;

/** Time an async function; milliseconds. */
export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Value at quantile q (0..1) of unsorted numbers. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}
