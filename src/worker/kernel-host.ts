/**
 * Starts the lab's own kernels in the worker: the module from the app's origin (public/kernels/,
 * built at install), and helper threads (nested workers) over one shared memory. Threads need
 * SharedArrayBuffer, so a page that is not cross-origin isolated gets one thread, and says so.
 */
import { type LenetKernels, MAX_SHARED_PAGES } from '../kernels/abi';
import { KernelCompute } from '../kernels/kernel-compute';
import { RELAXED_SIMD_PROBE, kernelFile } from '../kernels/kernel-files';
import { SerialPool, SharedPool } from '../kernels/pool';

/** The helper workers of each started compute (the fault tests end one from outside). */
const helpersOf = new WeakMap<KernelCompute, Worker[]>();

/** Test builds only (issue 6): ends a helper thread as a crash would, without a word. */
export function killKernelThread(compute: KernelCompute): boolean {
  const helper = helpersOf.get(compute)?.[0];
  helper?.terminate();
  return helper !== undefined;
}

/** A helper that has not instantiated the module by then is not coming. */
const HELPER_READY_MS = 10_000;

/** How many threads to use here: every core, at most 4 (LeNet's layers split no finer usefully). */
export function kernelThreads(): number {
  const cores = self.navigator.hardwareConcurrency || 1;
  return Math.max(1, Math.min(4, cores));
}

async function compile(assetBase: string, file: string): Promise<WebAssembly.Module> {
  const response = await fetch(new URL(`kernels/${file}`, assetBase));
  if (!response.ok)
    throw new Error(`the lab's kernels (${file}) could not be loaded: HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

function sharedMemory(): WebAssembly.Memory | null {
  // A 1 GiB reservation can fail where address space is short (32-bit browsers): ask for less.
  for (const maximum of [MAX_SHARED_PAGES, MAX_SHARED_PAGES / 4]) {
    try {
      return new WebAssembly.Memory({ initial: 2, maximum, shared: true });
    } catch {
      // try the smaller one
    }
  }
  return null;
}

/** Starts helper `tid`; once it serves, an error in it (it died) is reported through `onLost`. */
function startHelper(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  tid: number,
  threads: number,
  onLost: (why: string) => void,
): Promise<Worker> {
  const worker = new Worker(new URL('./kernel-thread.worker.ts', import.meta.url), {
    type: 'module',
    name: `lab kernels, thread ${tid}`,
  });
  return new Promise((ready, failed) => {
    const refuse = (e: Error) => {
      worker.terminate();
      failed(e);
    };
    const timer = setTimeout(
      () => refuse(new Error(`kernel thread ${tid} did not start`)),
      HELPER_READY_MS,
    );
    worker.onmessage = () => {
      clearTimeout(timer);
      worker.onerror = (e) => onLost(`kernel thread ${tid} stopped: ${e.message || 'an error'}`);
      ready(worker);
    };
    worker.onerror = (e) => {
      clearTimeout(timer);
      refuse(new Error(`kernel thread ${tid} failed to start: ${e.message}`));
    };
    worker.postMessage({ module, memory, tid, threads });
  });
}

/** The kernels with up to `threads` threads; fewer where the page cannot share memory. */
export async function startKernels(
  assetBase: string,
  threads = kernelThreads(),
): Promise<{ compute: KernelCompute; note: string }> {
  const memory = threads > 1 && self.crossOriginIsolated ? sharedMemory() : null;
  // Fused multiply-add where the browser validates relaxed SIMD (Chromium does; elsewhere the
  // plain build runs, and the run names its compute `simd` rather than `simd-fma`).
  const arithmetic = WebAssembly.validate(RELAXED_SIMD_PROBE) ? 'fma' : 'plain';
  const fused = arithmetic === 'fma' ? ', fused multiply-add' : '';
  if (memory) {
    const module = await compile(assetBase, kernelFile(true, arithmetic));
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const kernels = instance.exports as unknown as LenetKernels;
    let onLost: (why: string) => void = () => undefined;
    const lost = new Promise<string>((resolve) => (onLost = resolve));
    const starts = await Promise.allSettled(
      Array.from({ length: threads - 1 }, (_, i) =>
        startHelper(module, memory, i + 1, threads, onLost),
      ),
    );
    const helpers = starts.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const refused = starts.find((s) => s.status === 'rejected');
    if (refused) {
      // The threads that did start would wait on the shared memory for ever: end them.
      helpers.forEach((w) => w.terminate());
      throw refused.reason;
    }
    const pool = new SharedPool(
      kernels,
      memory,
      threads,
      () => helpers.forEach((w) => w.terminate()),
      onLost,
    );
    const compute = new KernelCompute(kernels, memory, pool, lost, arithmetic);
    helpersOf.set(compute, helpers);
    return { compute, note: `${threads} threads${fused}` };
  }
  const module = await compile(assetBase, kernelFile(false, arithmetic));
  const single = new WebAssembly.Memory({ initial: 2 });
  const instance = await WebAssembly.instantiate(module, { env: { memory: single } });
  const kernels = instance.exports as unknown as LenetKernels;
  const why =
    threads <= 1
      ? 'one core'
      : self.crossOriginIsolated
        ? 'no shared memory here'
        : 'page not cross-origin isolated';
  return {
    compute: new KernelCompute(kernels, single, new SerialPool(kernels), null, arithmetic),
    note: `one thread${fused} (${why})`,
  };
}
