import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '@airlock/config';
import { AirlockError } from '@airlock/core';
import { writeDemoCsv } from '@airlock/demo';
import { say } from '../output.ts';
import { progressBar } from '../progress.ts';

/** Where `airlock demo` writes by default: `<AIRLOCK_DATA_DIR>/demo/admissions.csv`. */
export function defaultDemoPath(dataDir: string): string {
  return path.join(dataDir, 'demo', 'admissions.csv');
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Write a realistic, seeded hospital-admissions CSV (fake people; policies/admissions.yaml describes it).')
    .option('-r, --rows <n>', 'number of admissions', (v) => positiveInt(v, '--rows'), 2000)
    .option('-s, --seed <seed>', 'seed: the same seed writes the same file', 'airlock-demo')
    .option('-o, --out <file>', 'output file (default: <AIRLOCK_DATA_DIR>/demo/admissions.csv)')
    .action(async (options: { rows: number; seed: string; out?: string }) => {
      const config = loadConfig();
      const out = path.resolve(options.out ?? defaultDemoPath(config.dataDir));
      mkdirSync(path.dirname(out), { recursive: true });
      const bar = progressBar(config.cli.progress, 'demo', options.rows, 'rows');
      const result = await writeDemoCsv(out, { rows: options.rows, seed: options.seed, onProgress: (done) => bar.update(done) }).finally(() =>
        bar.stop(),
      );
      say(`Wrote ${result.rows} admissions (${(result.bytes / 1e6).toFixed(1)} MB) to ${out}`);
      say(`Load it with: npx airlock ingest admissions ${path.relative(process.cwd(), out) || out}`);
    });
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new AirlockError('BAD_REQUEST', `${flag} must be a positive integer, got "${value}".`);
  return n;
}
