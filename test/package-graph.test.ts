/**
 * The package picture (issue 11): every workspace package declares the @airlock packages it
 * imports; the package graph has no cycle and points one way (libraries → services → the CLI);
 * and no source file takes part in an import cycle (madge). Each check is shown to fail on a
 * planted violation.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import madge from 'madge';
import { REPO_ROOT } from '@airlock/testing';
import { describe, expect, it } from 'vitest';
import { findCycles, readWorkspace } from './support/package-graph.ts';

const workspace = readWorkspace(REPO_ROOT);
const SERVICES = new Set(workspace.filter((p) => p.dir.includes(`${path.sep}services${path.sep}`)).map((p) => p.name));

/** Source files in import cycles under `dirs` (runtime imports only: type-only imports are erased). */
async function fileCycles(dirs: string[], baseDir: string): Promise<string[][]> {
  const result = await madge(dirs.map((dir) => path.join(baseDir, dir)), {
    baseDir,
    fileExtensions: ['ts', 'mjs'],
    excludeRegExp: [/node_modules/, /\.test\.ts$/],
    detectiveOptions: { ts: { skipTypeImports: true }, es6: { skipTypeImports: true } },
  });
  return result.circular();
}

describe('the package graph', () => {
  it('each package.json declares exactly the @airlock packages its code imports (tests: devDependencies)', () => {
    for (const pkg of workspace) {
      expect(Object.keys(pkg.declared.dependencies).filter((n) => n.startsWith('@airlock/')).sort(), `${pkg.name} dependencies`).toEqual([...pkg.imports].sort());
      expect(Object.keys(pkg.declared.devDependencies).filter((n) => n.startsWith('@airlock/')).sort(), `${pkg.name} devDependencies`).toEqual([...pkg.testImports].sort());
    }
  });

  it('has no cycle between packages', () => {
    expect(findCycles(new Map(workspace.map((p) => [p.name, p.imports])))).toEqual([]);
    // Planted: core importing the gateway closes a loop through everything the gateway uses.
    const planted = new Map(workspace.map((p) => [p.name, new Set(p.imports)]));
    planted.get('@airlock/core')!.add('@airlock/gateway');
    expect(findCycles(planted).some((cycle) => cycle.includes('@airlock/core') && cycle.includes('@airlock/gateway'))).toBe(true);
  });

  it('points one way: libraries use no service, services not the CLI, the gateway not the trainer', () => {
    for (const pkg of workspace) {
      const services = [...pkg.imports].filter((name) => SERVICES.has(name));
      if (pkg.name === '@airlock/cli') {
        // The CLI starts the servers (`airlock start`, `airlock trainer`); nothing else of theirs.
        expect(services.sort()).toEqual(['@airlock/gateway', '@airlock/trainer']);
      } else {
        expect(services, `${pkg.name} imports a service`).toEqual([]);
      }
      if (pkg.name !== '@airlock/cli') expect(pkg.imports.has('@airlock/cli'), `${pkg.name} imports the CLI`).toBe(false);
    }
  });

  it('has no import cycle between source files (madge), and finds a planted one', async () => {
    expect(await fileCycles(['packages', 'services'], REPO_ROOT)).toEqual([]);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-cycle-'));
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'src', 'a.ts'), "import { b } from './b.ts';\nexport const a = (): number => b() + 1;\n");
    writeFileSync(path.join(dir, 'src', 'b.ts'), "import { a } from './a.ts';\nexport const b = (): number => a() - 1;\n");
    writeFileSync(path.join(dir, 'src', 'c.ts'), "import type { a } from './a.ts';\nexport type C = typeof a;\n");
    expect(await fileCycles(['src'], dir)).toEqual([['src/a.ts', 'src/b.ts']]);
  }, 120_000);
});

describe('the test scripts', () => {
  it('name vitest projects that exist (npm run test:unit, test:db)', () => {
    const scripts = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const projects = [...readFileSync(path.join(REPO_ROOT, 'vitest.config.ts'), 'utf8').matchAll(/name: '([a-z]+)'/g)].map((m) => m[1]);
    const named = Object.values(scripts).flatMap((script) => [...script.matchAll(/--project (\S+)/g)].map((m) => m[1]));
    expect(named.sort()).toEqual(['db', 'unit']);
    for (const name of named) expect(projects).toContain(name);
  });
});
