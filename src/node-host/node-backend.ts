/**
 * Where the CLI and the benchmark compute in Node. `simd` is the lab's own WebAssembly SIMD
 * kernels (node-kernels.ts), the same module and results as in the browser; `wasm` and `cpu`
 * are tfjs's backends (tfjs-node would download a native TensorFlow at install time, which a
 * fresh machine here cannot do), loaded from node_modules.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type { Compute } from '../engine/compute';
import { tfCompute } from '../engine/tf-compute';
import type { KernelArithmetic } from '../kernels/kernel-files';
import { nodeKernels } from './node-kernels';

const require = createRequire(import.meta.url);

/** Where the engine can compute in Node: the lab's kernels, or tfjs's wasm or cpu backend. */
export const NODE_BACKENDS = ['simd', 'wasm', 'cpu'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

export interface NodeCompute {
  compute: Compute;
  /** In words, e.g. "simd, 2 threads (node v20.20.2)". */
  description: string;
  /** Stops helper threads (simd), so the process can exit. */
  dispose(): void;
}

/** Starts a tfjs backend in Node; returns its description. */
export async function useNodeBackend(name: Exclude<NodeBackend, 'simd'>): Promise<string> {
  if (name === 'wasm')
    setWasmPaths(
      join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/',
    );
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} failed to initialise`);
  await tf.ready();
  return `tfjs ${tf.getBackend()} (node ${process.version})`;
}

/** Threads for the kernels when not told: every core, at most 4. */
export const defaultThreads = () => Math.max(1, Math.min(4, availableParallelism()));

export async function startNodeCompute(
  name: NodeBackend,
  threads = defaultThreads(),
  arithmetic?: KernelArithmetic,
): Promise<NodeCompute> {
  if (name !== 'simd')
    return {
      compute: tfCompute,
      description: await useNodeBackend(name),
      dispose: () => undefined,
    };
  // tfjs still draws nothing here, but the engine's tfjs imports want a backend registered.
  await useNodeBackend('cpu');
  const kernels = await nodeKernels(threads, arithmetic);
  return {
    compute: kernels,
    description: `${kernels.name} (node ${process.version})`,
    dispose: () => kernels.dispose(),
  };
}
