/**
 * The workspace's package graph, read from the sources: which @airlock packages each package
 * imports (in its code, and only in its tests), and cycles among them. Used by
 * test/package-graph.test.ts; the functions take plain data so a test can plant a bad graph.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface WorkspacePackage {
  name: string;
  dir: string;
  /** @airlock packages its non-test sources import. */
  imports: Set<string>;
  /** @airlock packages only its tests import. */
  testImports: Set<string>;
  declared: { dependencies: Record<string, string>; devDependencies: Record<string, string> };
}

const SPECIFIER = /(?:\bfrom|\bimport)\s*\(?\s*['"](@airlock\/[a-z0-9-]+)(?:\/[^'"]*)?['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(ts|mjs)$/.test(entry.name) ? [full] : [];
  });
}

/** The @airlock packages a source text imports (static, type-only and dynamic imports). */
export function airlockImports(text: string): Set<string> {
  return new Set([...text.matchAll(SPECIFIER)].map((m) => m[1]!));
}

/** Every workspace package under `root` (packages/*, services/*), with what it imports. */
export function readWorkspace(root: string): WorkspacePackage[] {
  return ['packages', 'services'].flatMap((group) =>
    readdirSync(path.join(root, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => {
        const dir = path.join(root, group, entry.name);
        const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
          name: string;
          dependencies?: Record<string, string>;
          devDependencies?: Record<string, string>;
        };
        const imports = new Set<string>();
        const testImports = new Set<string>();
        for (const file of sourceFiles(path.join(dir, 'src'))) {
          // test/one-door-lint.test.ts plants `planted-*` violations in src for a moment; they are not the package's code.
          if (path.basename(file).startsWith('planted-')) continue;
          const target = /\.test\.ts$/.test(file) ? testImports : imports;
          for (const name of airlockImports(readFileSync(file, 'utf8'))) if (name !== manifest.name) target.add(name);
        }
        for (const name of imports) testImports.delete(name);
        return {
          name: manifest.name,
          dir,
          imports,
          testImports,
          declared: { dependencies: manifest.dependencies ?? {}, devDependencies: manifest.devDependencies ?? {} },
        };
      }),
  );
}

/**
 * Cycles in a dependency graph (name → names it depends on), each as the path that closes it
 * (`a → b → a`). Empty when the graph is acyclic.
 */
export function findCycles(graph: ReadonlyMap<string, Iterable<string>>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}
