/**
 * How fast the `airlock` command answers (issue 14: "`airlock --help` and simple commands answer
 * in under 1 s"). Each command is spawned as a user runs it (`node bin/airlock.mjs ...`), median
 * of several runs, against the same Node process started with the same TypeScript loader and
 * nothing else (`bin/airlock.mjs` minus the command tree): the floor any command pays.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { POLICIES_DIR, REPO_ROOT } from '@airlock/testing';
import { quantile, type BenchContext, type BenchResult } from './harness.ts';

const AIRLOCK = path.join(REPO_ROOT, 'bin', 'airlock.mjs');

function medianMs(args: readonly string[], runs: number, env: NodeJS.ProcessEnv): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return quantile(times, 0.5);
}

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const runs = ctx.quick ? 3 : 9;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-bench-cli-'));
  // The loader alone: what bin/airlock.mjs does before it imports the CLI.
  const floorScript = path.join(REPO_ROOT, 'bin', `.bench-floor-${process.pid}.mjs`);
  writeFileSync(floorScript, "import { register } from 'tsx/esm/api';\nregister();\n");
  const env = { ...process.env, AIRLOCK_DATA_DIR: dir, AIRLOCK_POLICIES_DIR: POLICIES_DIR, DATABASE_URL: '' };
  try {
    medianMs([AIRLOCK, '--help'], 1, env); // warm the loader's transform cache
    const floor = medianMs([floorScript], runs, env);
    const commands: Array<[string, string[]]> = [
      ['airlock --help', ['--help']],
      ['airlock ingest --help', ['ingest', '--help']],
      ['airlock policy validate (test policies)', ['policy', 'validate', POLICIES_DIR]],
      ['airlock token --role analyst', ['token', '--role', 'analyst']],
    ];
    return commands.map(([name, args]) => {
      ctx.log(name);
      return { name, figure: medianMs([AIRLOCK, ...args], runs, env), unit: 'ms', baseline: { name: 'node + TypeScript loader, no command', figure: floor }, notes: `median of ${runs} runs` };
    });
  } finally {
    rmSync(floorScript, { force: true });
  }
}
