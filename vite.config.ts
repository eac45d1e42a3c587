/// <reference types="vitest/config" />
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import react from '@vitejs/plugin-react';
import { type Plugin, defineConfig, minifySync } from 'vite';
import { CSP, TEST_CSP } from './csp.config.ts';
import { buildKernels } from './scripts/build-kernels.mjs';

/**
 * Cross-origin isolation (COOP + COEP) makes SharedArrayBuffer available, which the lab's kernels
 * (and tfjs-wasm) need for their threads. Served by the dev server (`npm run dev`), the preview
 * (`npm start`, `npm run preview`), and documented for any static host.
 */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The test build (`vite build --mode e2e`, what the browser tests drive) is the production build
 * plus the fault-injection hooks of issue 6 (src/testing/) and a CSP that reports violations
 * (csp.config.ts). Its own folder, so `dist/` never holds a build with the hooks in it.
 */
export const E2E_MODE = 'e2e';

/**
 * The policy as a <meta> in the built index.html, for any static host. The dev server (`npm run
 * dev`) has no policy: its React-refresh preamble is an inline script. `npm start` serves the
 * build instead (scripts/start.mjs, issue 15).
 */
const cspMeta = (): Plugin => ({
  name: 'lottery-ticket-lab:csp',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP },
      injectTo: 'head-prepend',
    },
  ],
});

/**
 * The lab's kernels, recompiled from assembly/lenet.ts whenever it changed (its stamp makes this a
 * no-op otherwise) before any build, dev server or test run: none of them can load wasm whose
 * exports no longer match src/kernels/abi.ts.
 */
const kernels = (): Plugin => ({
  name: 'lottery-ticket-lab:kernels',
  configResolved: () => buildKernels({ quiet: true }),
});

/**
 * Lets the whole worker bundle be minified (issue 17) without breaking tfjs-wasm's threads.
 *
 * tfjs-wasm starts its pthread workers from `Function.prototype.toString()` of the emscripten
 * factory (backend_wasm.js: a blob of `var WasmBackendModuleThreadedSimd = ` + the function's
 * source). That function is not self-contained: it reads `_scriptDir`, a variable of the IIFE
 * around it, behind a `typeof _scriptDir !== "undefined"` guard that makes it harmless where the
 * IIFE is absent (the thread's blob). Minified in place, the guard folds away (the minifier sees
 * the binding, so the typeof check is dead) and the name is mangled: each thread then dies on
 * `ReferenceError: e is not defined` and the wasm backend never starts (tfjs issues 4107, 4539).
 *
 * So the blob gets the factory's whole file instead, IIFE included, minified here on its own as a
 * classic script (its top-level `var`, the global the thread calls, keeps its name). The copy
 * that runs in the lab's worker is minified with the rest of the bundle. A tfjs upgrade that
 * changes the expression fails the build here rather than the threads at run time.
 */
const THREAD_FACTORY =
  /`var WasmBackendModuleThreadedSimd = ` \+\s*wasmFactoryThreadedSimd\.toString\(\)/g;
const tfjsWasmThreads = (): Plugin => ({
  name: 'lottery-ticket-lab:tfjs-wasm-threads',
  transform(code, id) {
    if (!id.replaceAll('\\', '/').endsWith('/@tensorflow/tfjs-backend-wasm/dist/backend_wasm.js'))
      return null;
    const found = code.match(THREAD_FACTORY)?.length ?? 0;
    if (found !== 1)
      throw new Error(
        `tfjs-wasm-threads: expected the threaded factory's toString() once in ${id}, found it ${found} times: tfjs-backend-wasm changed, see vite.config.ts`,
      );
    const file = join(dirname(id), '../wasm-out/tfjs-backend-wasm-threaded-simd.js');
    const { code: script, errors } = minifySync(file, readFileSync(file, 'utf8'), {
      module: false,
    });
    if (errors.length) throw new Error(`tfjs-wasm-threads: ${errors[0]!.message}`);
    // A function, not a string: `$&` and its kin in the minified script must stay as they are.
    const literal = JSON.stringify(script);
    const out = code.replace(THREAD_FACTORY, () => literal);
    if (out.split(literal).length !== 2)
      throw new Error('tfjs-wasm-threads: the threads’ script did not land once, whole');
    return { code: out, map: null };
  },
});

/**
 * A chunk of the workers' code named after the package most of its modules come from (the webgl
 * and webgpu backends, loaded on demand, and the tfjs kernels they share with the cpu backend),
 * not after whichever module the bundler meets first: the first load's report lists them.
 */
function workerChunkName(chunk: { name: string; moduleIds: string[] }): string {
  const counts = new Map<string, number>();
  for (const id of chunk.moduleIds) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id.replaceAll('\\', '/'))?.[1];
    if (pkg) counts.set(pkg, (counts.get(pkg) ?? 0) + 1);
  }
  const [top] = [...counts].sort((a, b) => b[1] - a[1]);
  const name =
    top && top[1] * 2 > chunk.moduleIds.length ? top[0].replace(/^@[^/]+\//, '') : chunk.name;
  return `assets/${name}-[hash].js`;
}

export default defineConfig(({ mode }) => {
  const e2e = mode === E2E_MODE;
  return {
    plugins: [kernels(), react(), cspMeta()],
    // Compiled to a literal, so `if (__LAB_TEST_BUILD__)` and the hooks behind it vanish from the
    // production bundle (src/testing/, checked by tests/node/bundle.test.ts).
    define: { __LAB_TEST_BUILD__: JSON.stringify(e2e) },
    server: { headers: isolation, port: 5173 },
    // The preview (`npm start`, `npm run preview`) serves the built app as a host should: with the
    // policy as a header too, which (unlike the <meta>) also covers the worker's own script and can
    // carry report-uri. Its port is `npm run preview`'s; `npm start` chooses its own.
    preview: {
      headers: { ...isolation, 'Content-Security-Policy': e2e ? TEST_CSP : CSP },
      port: 4173,
      strictPort: true,
    },
    // Workers are bundled with their own plugins: the lab's worker holds tfjs-wasm.
    worker: {
      format: 'es',
      plugins: () => [tfjsWasmThreads()],
      rolldownOptions: { output: { chunkFileNames: workerChunkName } },
    },
    // Scan the worker too at startup: otherwise Vite meets tfjs only when the worker first loads,
    // re-optimises and reloads the page, and the first Run click on a fresh machine is lost.
    optimizeDeps: { entries: ['index.html', 'src/worker/lab.worker.ts'] },
    build: {
      target: 'es2022',
      chunkSizeWarningLimit: 4000,
      minify: true,
      outDir: e2e ? 'dist-e2e' : 'dist',
    },
    test: {
      include: [
        'src/**/*.test.ts',
        'src/**/*.test.tsx',
        'tests/node/**/*.test.ts',
        'cli/**/*.test.ts',
        'bench/**/*.test.ts',
      ],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      pool: 'forks',
    },
  };
});
