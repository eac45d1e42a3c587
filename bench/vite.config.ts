/**
 * The benchmark page's build (bench/page/, served by bench/run.ts): the lab's public/ assets and
 * the same cross-origin isolation as the lab, so the wasm paths may use threads here too.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: here('./page'),
  publicDir: here('../public'),
  build: { outDir: here('./out/page'), emptyOutDir: true, minify: false },
  worker: { format: 'es' },
  preview: { headers: isolation },
  logLevel: 'warn',
});
