/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Cross-origin isolation (COOP + COEP) makes SharedArrayBuffer available, which the tfjs wasm
 * backend needs for its threads. Served in dev, in preview, and documented for any static host.
 */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: isolation, port: 5173 },
  preview: { headers: isolation, port: 4173, strictPort: true },
  worker: { format: 'es' },
  // Scan the worker too at startup: otherwise Vite meets tfjs only when the worker first loads,
  // re-optimises and reloads the page, and the first Run click on a fresh machine is lost.
  optimizeDeps: { entries: ['index.html', 'src/worker/lab.worker.ts'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000, minify: false },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/node/**/*.test.ts', 'cli/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
