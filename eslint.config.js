import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const ioModules = [
  'fs', 'fs/promises', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'worker_threads',
  'pg', 'playwright', 'playwright-core', 'openai', 'fastify', 'pino', 'node-pg-migrate',
  '@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing',
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', '.venv/**', '.scratch/**', 'bench/results/**', 'reliability/results/**', 'reports/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'bin/*.mjs', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Workflow code is replayed deterministically by Temporal: no Node built-ins, no I/O libraries.
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*'], message: 'Workflow code must not import Node built-ins (it must stay deterministic).' },
          { group: ioModules, allowTypeImports: true, message: 'Workflow code must not import I/O libraries; put I/O in an activity.' },
          { group: ['**/activities/**', '**/storage/**', '**/stack/**', '**/browser/**', '**/model-server/**', '**/sites/**'], allowTypeImports: true, message: 'Workflows import activity types only.' },
        ],
      }],
      'no-restricted-globals': ['error', 'setInterval', 'process', 'require'],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
);
