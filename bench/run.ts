/**
 * `npm run bench [-- names...]`: runs every `bench/<name>.ts` (or the ones named), prints a
 * table, and writes `bench/results/latest.json`. `AIRLOCK_BENCH_QUICK=1` for a smoke run;
 * `AIRLOCK_BENCH_PG_URL` (default: the local server at 127.0.0.1:5432 when it answers) for the
 * PostgreSQL figures.
 */
import { appendAll, maxOf } from '@airlock/core';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import type { BenchContext, Benchmark, BenchResult } from './harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const NOT_BENCHMARKS = new Set(['harness', 'run', 'support', 'gateway-support']);

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  if (process.argv.includes('--help')) {
    console.log('usage: npm run bench [-- <name>...]   names: ' + available().join(', '));
    return;
  }
  const names = wanted.length > 0 ? wanted : available();
  const unknown = names.filter((n) => !available().includes(n));
  if (unknown.length) throw new Error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${available().join(', ')}`);

  const ctx: BenchContext = {
    quick: process.env['AIRLOCK_BENCH_QUICK'] === '1',
    pgAdminUrl: await findPostgres(),
    log: (message) => console.error(`  ${message}`),
  };
  const all: Array<BenchResult & { benchmark: string; ratio: number | null }> = [];
  const failures: Array<{ benchmark: string; error: string }> = [];
  for (const name of names) {
    console.error(`▶ ${name}`);
    try {
      const mod = (await import(pathToFileURL(path.join(here, `${name}.ts`)).href)) as { default: Benchmark };
      const results = await mod.default(ctx);
      const rows = results.map((result) => ({ benchmark: name, ...result, ratio: result.baseline ? result.figure / result.baseline.figure : null }));
      appendAll(all, rows);
      // Each benchmark's figures are printed and saved as soon as it ends: a long run that fails
      // later keeps what it measured.
      printTable(rows);
    } catch (error) {
      failures.push({ benchmark: name, error: (error as Error).message });
      console.error(`✗ ${name} failed: ${(error as Error).stack ?? String(error)}`);
    }
    save(all, failures, ctx);
  }
  console.log('\nAll results:');
  printTable(all);
  if (failures.length) {
    console.error(`\n${failures.length} benchmark(s) failed: ${failures.map((f) => f.benchmark).join(', ')}`);
    process.exitCode = 1;
  }
  console.error(`\nWrote bench/results/latest.json`);
}

function save(all: unknown[], failures: unknown[], ctx: BenchContext): void {
  const out = {
    at: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    quick: ctx.quick,
    postgres: ctx.pgAdminUrl ? 'yes' : 'no',
    results: all,
    failures,
  };
  mkdirSync(path.join(here, 'results'), { recursive: true });
  writeFileSync(path.join(here, 'results', 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
}

function available(): string[] {
  return readdirSync(here)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .filter((n) => !NOT_BENCHMARKS.has(n))
    .sort();
}

async function findPostgres(): Promise<string | undefined> {
  const url = process.env['AIRLOCK_BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (url === 'off') return undefined;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch {
    console.error(`(no PostgreSQL at ${url}: embedded figures only)`);
    return undefined;
  }
}

function printTable(rows: Array<BenchResult & { benchmark: string; ratio: number | null }>): void {
  const fmt = (n: number): string => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3));
  const table = rows.map((r) => ({
    benchmark: r.benchmark,
    name: r.name,
    figure: `${fmt(r.figure)} ${r.unit}`,
    baseline: r.baseline ? `${fmt(r.baseline.figure)} ${r.unit} (${r.baseline.name})` : '',
    ratio: r.ratio === null ? '' : `${r.ratio.toFixed(2)}×`,
    notes: r.notes ?? '',
  }));
  const columns = ['benchmark', 'name', 'figure', 'baseline', 'ratio', 'notes'] as const;
  const widths = columns.map((c) => Math.max(c.length, maxOf(table.map((t) => t[c].length))));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  console.log(line(columns));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const t of table) console.log(line(columns.map((c) => t[c])));
}

await main();
