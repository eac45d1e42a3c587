/**
 * tfjs backends in Node. tfjs-node would download a native TensorFlow at install time, which a
 * fresh machine here cannot do, so Node runs the same wasm backend the browser falls back to
 * (SIMD, single-threaded), loaded from node_modules; `cpu` is there for comparison.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export type NodeBackend = 'wasm' | 'cpu';

export async function useNodeBackend(name: NodeBackend = 'wasm'): Promise<string> {
  if (name === 'wasm') setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} failed to initialise`);
  await tf.ready();
  return `${tf.getBackend()} (node ${process.version})`;
}
