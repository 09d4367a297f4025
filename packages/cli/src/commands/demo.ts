import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AirlockError } from '@airlock/core';
import { defaultDemoPath } from '../demo-path.ts';
import { say } from '../output.ts';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Write a realistic, seeded hospital-admissions CSV (fake people; policies/admissions.yaml describes it).')
    .option('-r, --rows <n>', 'number of admissions', (v) => positiveInt(v, '--rows'), 2000)
    .option('-s, --seed <seed>', 'seed: the same seed writes the same file', 'airlock-demo')
    .option('-o, --out <file>', 'output file (default: <AIRLOCK_DATA_DIR>/demo/admissions.csv)')
    .action(async (options: { rows: number; seed: string; out?: string }) => {
      const [{ loadConfig }, { writeDemoCsv }, { progressBar }] = await Promise.all([import('@airlock/config'), import('@airlock/demo'), import('../progress.ts')]);
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
