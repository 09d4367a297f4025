import { defineConfig } from 'vitest/config';

// Workspace packages export their src/index.ts, so tests need no build step.
// Two cores: database tests are heavy, so files run two at a time at most.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
