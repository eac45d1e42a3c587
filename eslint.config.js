import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The house's rooms and the direction of their imports (README, "How it is built"). Each room
// below has one fence: what it may not import, and why. Data flows one way: config → engine →
// events → store → views; the Node host is the worker's counterpart in Node, below its users.

const UI_LIBS = ['react', 'react-dom', 'react/*', 'zustand', 'zustand/*', 'recharts', 'd3', 'd3-*'];
const PAGE = ['**/settings/**', '**/state/**', '**/effects/**', '**/ui/**', '**/charts/**'];
const NODE = ['node:*', 'fs', 'path', '**/node-host/**'];
const TESTS = ['src/**/*.test.ts', 'src/**/*.test.tsx', 'src/**/*.testing.ts'];

/**
 * A room's fence: `rules` are [what may not be imported, why, and whether a type-only import of
 * it is fine]. Tests are left out unless `tests` says otherwise (they may reach across rooms).
 */
function fence(files, rules, { tests = false } = {}) {
  return {
    files,
    ...(tests ? {} : { ignores: TESTS }),
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: rules.map(([group, message, typesOnly = false]) => ({
            group,
            message,
            ...(typesOnly ? { allowTypeImports: true } : {}),
          })),
        },
      ],
    },
  };
}

export default tseslint.config(
  // assembly/ is AssemblyScript (compiled by scripts/build-kernels.mjs), not TypeScript.
  {
    ignores: [
      'dist',
      'dist-e2e',
      'dist-gpu-page',
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
    files: ['src/**/*.tsx', 'src/ui/**/*.ts', 'src/state/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },

  // The engine is the science: pure TypeScript that runs the same in the worker, in Node and in
  // tests. The kernels sit beside it, behind the same Compute interface.
  fence(
    ['src/engine/**/*.ts', 'src/kernels/**/*.ts'],
    [
      [UI_LIBS, 'The engine has no UI: keep React, zustand, recharts and d3 out of src/engine.'],
      [
        ['**/worker/**', ...PAGE, '**/cli/**', '**/bench/**'],
        'Data flows one way: the engine and the kernels do not import the rooms that consume them.',
      ],
      [NODE, 'The engine runs in the browser too: no Node modules, no Node host.'],
    ],
  ),
  // The lab's own WebGPU step (issue 17): the kernels' counterpart on a GPU, behind the same
  // Compute interface; it needs WebGPU, so it runs in the browser (the worker, the test page).
  fence(
    ['src/gpu/**/*.ts'],
    [
      [UI_LIBS, 'The GPU step has no UI: keep React, zustand, recharts and d3 out of src/gpu.'],
      [
        ['**/worker/**', ...PAGE, '**/cli/**', '**/bench/**'],
        'Data flows one way: the GPU step does not import the rooms that consume it.',
      ],
      [NODE, 'The GPU step runs in the browser: no Node modules, no Node host.'],
    ],
  ),
  // File formats and the run history: used by the worker, the page and the CLI alike.
  fence(
    ['src/formats/**/*.ts', 'src/history/**/*.ts'],
    [
      [
        [...UI_LIBS, '**/worker/**', ...PAGE, ...NODE],
        'Formats and history sit below the worker and the page: no UI, no Node.',
      ],
    ],
  ),
  // The user's drawn digits (issue 16): MNIST's preprocessing, the kept digits' file, their
  // scores. Pure: the pad (a view) and the effects that store them use it.
  fence(
    ['src/digits/**/*.ts'],
    [
      [
        [...UI_LIBS, '**/worker/**', ...PAGE, ...NODE, '**/history/**'],
        'Drawn digits are pure: no UI, no worker, no storage, no Node.',
      ],
    ],
  ),
  // Comparisons over trials: numbers and words from the engine's results, for the page and the CLI.
  fence(
    ['src/compare/**/*.ts'],
    [
      [
        [...UI_LIBS, '**/worker/**', ...PAGE, ...NODE, '**/history/**'],
        'Comparisons read results and say what they show: no UI, no worker, no storage, no Node.',
      ],
    ],
  ),

  // The worker: the corridor between the engine and the page, in the browser.
  fence(
    ['src/worker/**/*.ts'],
    [
      [
        [...UI_LIBS, ...PAGE],
        'The worker is the corridor between engine and page; it knows no UI.',
      ],
      [NODE, "The worker is the browser's host: Node's (src/node-host/) is its counterpart."],
    ],
  ),
  // The worker's tests run in Node, through the Node host; they still know no UI.
  fence(
    ['src/worker/**/*.test.ts', 'src/worker/**/*.testing.ts'],
    [[[...UI_LIBS, ...PAGE], 'The worker knows no UI, in its tests neither.']],
    { tests: true },
  ),
  // The Node host runs the engine and the kernels in Node for the CLI, the benchmark and the
  // tests: the browser worker's counterpart, below everything that uses it.
  fence(
    ['src/node-host/**/*.ts'],
    [
      [
        [...UI_LIBS, ...PAGE, '**/worker/**', '**/testing/**'],
        "The Node host runs the engine in Node: the page's rooms and the browser's host are not its.",
      ],
      [['**/cli/**', '**/bench/**'], 'The CLI and the benchmark import the Node host, not back.'],
    ],
  ),

  // The page's three rooms (issue 13): settings → state → effects → views.
  // Settings: the pure model of what a user can set (the fields table, presets, the URL hash).
  fence(
    ['src/settings/**/*.ts'],
    [
      [
        [
          ...UI_LIBS,
          ...PAGE.filter((r) => r !== '**/settings/**'),
          '**/history/**',
          '**/worker/client',
          '**/worker/lab.worker',
          ...NODE,
        ],
        'Settings are pure: they import nothing of the page (no store, no effects, no views, no worker client).',
      ],
    ],
  ),
  // State: zustand only. It never reaches out: effects call its actions and subscribe to it.
  fence(
    ['src/state/**/*.ts'],
    [
      [
        [
          '**/effects/**',
          '**/ui/**',
          '**/charts/**',
          '**/worker/client',
          '**/worker/lab.worker',
          'recharts',
          'd3',
          ...NODE,
        ],
        'State imports neither effects, views nor the worker client: effects subscribe to the store.',
      ],
      [
        ['**/history/**'],
        'State names the history’s types; reading IndexedDB is an effect (src/effects).',
        true,
      ],
    ],
  ),
  // Effects: the worker bridge, IndexedDB, files, the URL, timers. They render nothing.
  fence(
    ['src/effects/**/*.ts'],
    [
      [
        ['react', 'react-dom', 'recharts', 'd3', '**/ui/**', '**/charts/**', ...NODE],
        'Effects render nothing: views import effects, not the other way round.',
      ],
    ],
  ),
  // Views: panels read the store through named selectors and act through labActions() and the
  // effects; they never talk to the worker, IndexedDB or the engine's machinery themselves.
  fence(
    ['src/ui/**/*.{ts,tsx}', 'src/main.tsx'],
    [
      [
        ['**/state/lab-store', '**/state/*-slice', 'zustand', 'zustand/*'],
        'Views read the store through state/selectors.ts and act through labActions().',
      ],
      [
        [
          '**/worker/client',
          '**/worker/lab.worker',
          '**/effects/history-db',
          '**/engine/experiment',
          '**/engine/tf-compute',
          '**/kernels/**',
          ...NODE,
        ],
        'Views never talk to the worker, IndexedDB or the engine’s machinery: an effect does.',
      ],
      [
        ['**/history/**'],
        'Views name the history’s types; its data arrives through the store.',
        true,
      ],
    ],
  ),
  // Charts are dumb views: plain arrays in, SVG out.
  fence(
    ['src/charts/**/*.{ts,tsx}'],
    [
      [
        [
          ...PAGE.filter((r) => r !== '**/charts/**'),
          '**/worker/**',
          '**/history/**',
          'zustand',
          'zustand/*',
          ...NODE,
        ],
        'Charts are dumb views: their props are plain arrays; they read no store and call no effect.',
      ],
    ],
  ),
  // The test build's fault hooks run in the browser, in the page and in the worker.
  fence(['src/testing/**/*.ts'], [[NODE, 'The fault hooks run in the browser: no Node host.']]),
);
