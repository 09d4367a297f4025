import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

const TESTS = ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'test/**/*.test.ts'];

// Workspace packages export their src/index.ts, so tests need no build step.
// Two cores: database tests are heavy, so files run two at a time at most.
export default defineConfig({
  resolve: {
    // graphql ships CJS (main) and ESM (module) builds. Vite would hand our code the ESM one while
    // Apollo, run by Node, gets the CJS one: two GraphQLSchema classes ("another module or realm").
    // One file for everybody.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    // `npm run test:unit` runs the first project (no database), `npm run test:db` the second.
    projects: [
      { extends: true, test: { name: 'unit', include: [...TESTS], exclude: ['**/*.int.test.ts', '**/node_modules/**'] } },
      { extends: true, test: { name: 'db', include: TESTS.map((glob) => glob.replace(/\*\.test\.ts$/, '*.int.test.ts')) } },
    ],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
