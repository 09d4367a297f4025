// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import airlock from './eslint-rules/one-door.js';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.airlock/', 'bench/results/', 'coverage/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits loses its error: an audit write or a rollback could fail unseen.
      '@typescript-eslint/no-floating-promises': 'error',
      // Type-only imports vanish at runtime, so import cycles and side effects stay visible.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Decisions are discriminated unions; a new kind must be handled everywhere it is switched on.
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      // Unused names are usually a bug or dead code; a leading underscore marks a deliberate one.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Package boundaries: other packages are used through their public entry (index.ts) only.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@airlock/*/*', '!@airlock/core/logger', '!@airlock/policy/role-names', '**/packages/*/src/*', '../../*/src/*', '../../../packages/*'],
              message: 'Import another package by its name (@airlock/<pkg>), which resolves to its index.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // Spreading an array into a call puts every element on the stack: Math.max(...xs) or
    // out.push(...xs) throws "Maximum call stack size exceeded" past ~100,000 elements (synthesis
    // crashed on 200,000 rows). Use appendAll / maxOf / minOf from @airlock/core instead.
    // packages/policy is left out for now: its three spreads are of problem lists, a few items long.
    files: ['**/*.ts'],
    ignores: ['packages/policy/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(push|unshift|max|min|hypot|fromCharCode|fromCodePoint|splice)$/] > SpreadElement',
          message: 'A spread into a call overflows the stack on large arrays: use appendAll, maxOf or minOf from @airlock/core, or a loop.',
        },
      ],
    },
  },
  {
    // One door per zone: no `.admin`, `switchRole`, `setRole('owner')` or owner-handle import
    // outside the database package, migrations and the test fixtures (eslint-rules/one-door.js;
    // test/one-door-lint.test.ts shows it failing on planted violations).
    files: ['**/*.ts'],
    ignores: ['packages/db/src/**', 'migrations/**', 'packages/testing/src/**', 'test/support/**'],
    plugins: { airlock },
    rules: { 'airlock/one-door': 'error' },
  },
  {
    // The test fixtures are the one place outside packages/db that takes the owner's handle.
    files: ['packages/testing/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@airlock/*/*', '!@airlock/db/owner', '!@airlock/core/logger', '!@airlock/policy/role-names', '**/packages/*/src/*', '../../*/src/*', '../../../packages/*'],
              message: 'Import another package by its name (@airlock/<pkg>), which resolves to its index.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // The two small launchers in bin/ are plain Node.js ESM.
    files: ['bin/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // Packages log through the logger they are given; only the CLI, the services' entry points,
    // benchmarks and scripts talk to the terminal.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/cli/src/**', '**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },
);
