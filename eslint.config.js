import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const WORKER_KNOWS_NO_UI = {
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
};

export default tseslint.config(
  // assembly/ is AssemblyScript (compiled by scripts/build-kernels.mjs), not TypeScript.
  {
    ignores: [
      'dist',
      'dist-e2e',
      'node_modules',
      'public',
      'test-results',
      'playwright-report',
      'bench/out',
      'assembly',
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
              group: [
                '**/worker/**',
                '**/store/**',
                '**/ui/**',
                '**/charts/**',
                '**/cli/**',
                '**/node-host/**',
              ],
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
                '**/node-host/**',
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
            WORKER_KNOWS_NO_UI,
            {
              group: ['**/node-host/**', 'node:*'],
              message:
                "The worker is the browser's host: Node's (src/node-host/) is its counterpart, not a part.",
            },
          ],
        },
      ],
    },
  },
  {
    // The worker's tests run in Node, through the Node host; they still know no UI.
    files: ['src/worker/**/*.test.ts', 'src/worker/**/*.testing.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [WORKER_KNOWS_NO_UI] }] },
  },
  {
    // The page's rooms run in the browser: the Node host (threads, files, tfjs in Node) is not theirs.
    files: [
      'src/store/**/*.ts',
      'src/ui/**/*.{ts,tsx}',
      'src/charts/**/*.{ts,tsx}',
      'src/testing/**/*.ts',
      'src/main.tsx',
    ],
    ignores: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'src/**/*.testing.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/node-host/**'],
              message: 'The page runs in the browser: the Node host (src/node-host/) is not its.',
            },
          ],
        },
      ],
    },
  },
  {
    // The Node host runs the engine and the kernels in Node, for the CLI, the benchmark and the
    // tests: the browser's counterpart of src/worker/, below everything that uses it.
    files: ['src/node-host/**/*.ts'],
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
                '**/worker/**',
                '**/testing/**',
              ],
              message:
                "The Node host runs the engine in Node: the page's rooms and the browser's host are not its.",
            },
            {
              group: ['**/cli/**', '**/bench/**'],
              message:
                'Data flows one way: the CLI and the benchmark import the Node host, not back.',
            },
          ],
        },
      ],
    },
  },
);
