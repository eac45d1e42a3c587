/// <reference lib="webworker" />
/** A helper thread of the lab's kernels (kernel-host.ts): instantiate, say ready, serve. */
import type { LenetKernels } from '../kernels/abi';
import { serveKernelThread } from '../kernels/pool';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = async (
  e: MessageEvent<{
    module: WebAssembly.Module;
    memory: WebAssembly.Memory;
    tid: number;
    threads: number;
  }>,
) => {
  const { module, memory, tid, threads } = e.data;
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  serveKernelThread(instance.exports as unknown as LenetKernels, memory, tid, threads, () =>
    self.postMessage('ready'),
  );
};
