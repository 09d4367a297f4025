/**
 * The lint rule that keeps the owner's handle in packages/db, migrations and the test fixtures
 * (issue 11, "one door per zone") fails on planted violations in an application package, and
 * leaves the same code alone where it is allowed. The planted files are written next to real
 * sources (the rule's scope is by path) and removed afterwards.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@airlock/testing';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The violations, kept as a text fixture so that nothing in the source tree but this planted copy holds them.
const PLANTED = readFileSync(path.join(REPO_ROOT, 'test', 'support', 'planted-side-entrance.ts.txt'), 'utf8');

const suffix = randomBytes(4).toString('hex');
const planted = new Map<string, string>();

function plant(relative: string, text = PLANTED): string {
  const file = path.join(REPO_ROOT, relative.replace('.ts', `-${suffix}.ts`));
  writeFileSync(file, text);
  planted.set(relative, file);
  return file;
}

describe('the one-door lint rule', () => {
  let messages: Map<string, string[]>;
  beforeAll(async () => {
    plant('packages/ingest/src/planted-side-entrance.ts');
    plant('services/gateway/src/planted-fixture-import.ts', `import { ownerOf } from '@airlock/testing';\nexport const door = ownerOf;\n`);
    plant('packages/testing/src/planted-fixture.ts');
    // One ESLint run over all planted files: type-aware linting starts slowly.
    const results = await new ESLint({ cwd: REPO_ROOT }).lintFiles([...planted.values()]);
    messages = new Map(
      [...planted].map(([relative, file]) => [
        relative,
        (results.find((r) => r.filePath === file)?.messages ?? [])
          .filter((m) => m.ruleId === 'airlock/one-door' || m.ruleId === 'no-restricted-imports')
          .map((m) => `${m.line}: ${m.ruleId}`),
      ]),
    );
  }, 180_000);
  afterAll(() => {
    for (const file of planted.values()) rmSync(file, { force: true });
  });

  it('fails on the owner handle, a free role switch, a switch to the owner and the owner import in an application package', () => {
    expect(messages.get('packages/ingest/src/planted-side-entrance.ts')).toEqual([
      '2: no-restricted-imports', // @airlock/db/owner: not a package's public entry
      '2: airlock/one-door', // ...and the owner's handle
      '6: airlock/one-door', // the bulk session switched to the owner
      '7: airlock/one-door', // a free role switch, declared...
      '8: airlock/one-door', // ...and called
      '10: airlock/one-door', // the unrestricted handle
    ]);
  });

  it('fails on importing the test fixtures from application code', () => {
    expect(messages.get('services/gateway/src/planted-fixture-import.ts')).toEqual(['1: airlock/one-door']);
  });

  it('allows the same code in the test fixtures', () => {
    expect(messages.get('packages/testing/src/planted-fixture.ts')).toEqual([]);
  });
});
