/** A helper thread of the kernels in Node (node-kernels.ts): instantiate, say ready, serve. */
import { parentPort, workerData } from 'node:worker_threads';
import type { LenetKernels } from '../kernels/abi';
import { serveKernelThread } from '../kernels/pool';

const { module, memory, tid, threads } = workerData as {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  tid: number;
  threads: number;
};
const instance = await WebAssembly.instantiate(module, { env: { memory } });
serveKernelThread(instance.exports as unknown as LenetKernels, memory, tid, threads, () =>
  parentPort!.postMessage('ready'),
);
