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
    files: ['src/**/*.tsx', 'src/ui/**/*.ts', 'src/state/**/*.ts'],
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
                '**/settings/**',
                '**/state/**',
                '**/effects/**',
                '**/ui/**',
                '**/charts/**',
                '**/cli/**',
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
                '**/settings/**',
                '**/state/**',
                '**/effects/**',
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
                '**/settings/**',
                '**/state/**',
                '**/effects/**',
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
  // The page's three rooms (issue 13). Data flows one way: settings → state → effects → views.
  // Type-only imports may cross where a room only names another's shapes.
  {
    // Settings: the pure model of what a user can set (the fields table, presets, the URL hash).
    files: ['src/settings/**/*.ts'],
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
                'zustand/*',
                'recharts',
                'd3',
                '**/state/**',
                '**/effects/**',
                '**/ui/**',
                '**/charts/**',
                '**/history/**',
                '**/worker/client',
                '**/worker/lab.worker',
              ],
              message:
                'Settings are pure: they import nothing of the page (no store, no effects, no views, no worker client).',
            },
          ],
        },
      ],
    },
  },
  {
    // State: zustand only. It never reaches out: effects call its actions and subscribe to it.
    files: ['src/state/**/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/**/*.testing.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/effects/**',
                '**/ui/**',
                '**/charts/**',
                '**/worker/client',
                '**/worker/lab.worker',
                'recharts',
                'd3',
              ],
              message:
                'State imports neither effects, views nor the worker client: effects subscribe to the store.',
            },
            {
              group: ['**/history/**'],
              allowTypeImports: true,
              message:
                'State names the history’s types; reading IndexedDB is an effect (src/effects).',
            },
          ],
        },
      ],
    },
  },
  {
    // Effects: the worker bridge, IndexedDB, files, the URL, timers. They render nothing.
    files: ['src/effects/**/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/**/*.testing.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react-dom', 'recharts', 'd3', '**/ui/**', '**/charts/**'],
              message: 'Effects render nothing: views import effects, not the other way round.',
            },
          ],
        },
      ],
    },
  },
  {
    // Views: panels read the store through named selectors and act through labActions() and the
    // effects; charts are dumb views over plain props.
    files: ['src/ui/**/*.{ts,tsx}', 'src/charts/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'src/**/*.testing.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/state/lab-store', '**/state/*-slice', 'zustand', 'zustand/*'],
              message:
                'Views read the store through state/selectors.ts and act through labActions().',
            },
            {
              group: [
                '**/worker/client',
                '**/worker/lab.worker',
                '**/effects/history-db',
                '**/engine/experiment',
                '**/engine/tf-compute',
                '**/kernels/**',
              ],
              message:
                'Views never talk to the worker, IndexedDB or the engine’s machinery: an effect does.',
            },
            {
              group: ['**/history/**'],
              allowTypeImports: true,
              message: 'Views name the history’s types; its data arrives through the store.',
            },
          ],
        },
      ],
    },
  },
  {
    // Charts are dumb views: plain arrays in, SVG out.
    files: ['src/charts/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/state/**',
                '**/effects/**',
                '**/settings/**',
                '**/ui/**',
                '**/worker/**',
                '**/history/**',
                'zustand',
                'zustand/*',
              ],
              message:
                'Charts are dumb views: their props are plain arrays; they read no store and call no effect.',
            },
          ],
        },
      ],
    },
  },
);
