import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // kernels/ is AssemblyScript (compiled by scripts/build-kernels.mjs), not TypeScript.
  {
    ignores: [
      'dist',
      'dist-e2e',
      'node_modules',
      'public',
      'test-results',
      'playwright-report',
      'bench/out',
      'kernels',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/**/*.tsx', 'src/ui/**/*.ts', 'src/store/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // The engine is the science: pure TypeScript that runs the same in the worker, in Node and
    // in tests. It must not reach into the page, the store, the charts or the worker.
    files: ['src/engine/**/*.ts', 'src/kernels/**/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/**/*.testing.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'react',
                'react-dom',
                'react/*',
                'zustand',
                'zustand/*',
                'recharts',
                'd3',
                'd3-*',
              ],
              message:
                'The engine has no UI: keep React, zustand, recharts and d3 out of src/engine.',
            },
            {
              group: ['**/worker/**', '**/store/**', '**/ui/**', '**/charts/**', '**/cli/**'],
              message:
                'Data flows one way: the engine and the kernels do not import the rooms that consume them.',
            },
            {
              group: ['node:*', 'fs', 'path'],
              message: 'The engine runs in the browser too: no Node modules.',
            },
          ],
        },
      ],
    },
  },
  {
    // File formats and the run history: used by the worker, the page and the CLI alike.
    files: ['src/formats/**/*.ts', 'src/history/**/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/**/*.testing.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'react',
                'react-dom',
                'zustand',
                'recharts',
                'd3',
                '**/worker/**',
                '**/store/**',
                '**/ui/**',
                '**/charts/**',
                'node:*',
              ],
              message: 'Formats and history sit below the worker and the page: no UI, no Node.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'react',
                'react-dom',
                'zustand',
                'recharts',
                'd3',
                '**/store/**',
                '**/ui/**',
                '**/charts/**',
              ],
              message: 'The worker is the corridor between engine and page; it knows no UI.',
            },
          ],
        },
      ],
    },
  },
);
