/**
 * The page of tests/e2e/gpu-step.spec.ts: the lab's WebGPU step and its SIMD kernels side by side
 * on real MNIST (the lab's public/ assets), built and served by the spec itself.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  publicDir: here('../../public'),
  build: { outDir: here('../../dist-gpu-page'), emptyOutDir: true, minify: false },
  logLevel: 'warn',
});
