/**
 * The lab's kernels in Node (the CLI, the benchmark, the unit tests): the module built into
 * public/kernels/ at install, and `threads − 1` helper threads (worker_threads) over one
 * shared memory. Node 20 runs the same WebAssembly SIMD as the browser, so results agree bit
 * for bit with the lab's worker.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type LenetKernels, MAX_SHARED_PAGES } from '../kernels/abi';
import { KernelCompute } from '../kernels/kernel-compute';
import { type KernelArithmetic, RELAXED_SIMD_PROBE, kernelFile } from '../kernels/kernel-files';
import { SerialPool, SharedPool } from '../kernels/pool';

const here = dirname(fileURLToPath(import.meta.url));
const BUILT = join(here, '..', '..', 'public', 'kernels');

function load(file: string): WebAssembly.Module {
  try {
    return new WebAssembly.Module(readFileSync(join(BUILT, file)));
  } catch (e) {
    throw new Error(
      `the lab's kernels are not built (${file}): run npm install, or node scripts/build-kernels.mjs`,
      { cause: e },
    );
  }
}

/**
 * Whether this Node runs relaxed SIMD. Node 20's V8 (11.3) has it behind a flag, which V8 reads
 * when it compiles a module: set it here, before any kernel is compiled (helper threads share the
 * process's flags). Later Nodes validate the probe without it.
 */
export function relaxedSimd(): boolean {
  if (WebAssembly.validate(RELAXED_SIMD_PROBE)) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return WebAssembly.validate(RELAXED_SIMD_PROBE);
}

/**
 * Starts the kernels with `threads` threads (this one included), with fused multiply-add where
 * this Node offers it unless `arithmetic` says which.
 */
export async function nodeKernels(
  threads = 1,
  arithmetic: KernelArithmetic = relaxedSimd() ? 'fma' : 'plain',
): Promise<KernelCompute> {
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`threads must be a positive integer, not ${threads}`);
  if (arithmetic === 'fma' && !relaxedSimd())
    throw new Error('this Node does not run relaxed SIMD: the fused multiply-add kernels need it');
  const shared = threads > 1;
  const module = load(kernelFile(shared, arithmetic));
  const memory = new WebAssembly.Memory(
    shared ? { initial: 2, maximum: MAX_SHARED_PAGES, shared: true } : { initial: 2 },
  );
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const kernels = instance.exports as unknown as LenetKernels;
  if (!shared) return new KernelCompute(kernels, memory, new SerialPool(kernels), null, arithmetic);
  // The helper runs TypeScript: register tsx's loader inside the thread, then import it.
  const entry = pathToFileURL(join(here, 'kernel-thread.ts')).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  const workers = Array.from(
    { length: threads - 1 },
    (_, i) =>
      new Worker(bootstrap, { eval: true, workerData: { module, memory, tid: i + 1, threads } }),
  );
  const starts = await Promise.allSettled(
    workers.map(
      (w) =>
        new Promise<void>((ready, failed) => {
          w.once('message', () => ready());
          w.once('error', failed);
        }),
    ),
  );
  const refused = starts.find((s) => s.status === 'rejected');
  if (refused) {
    // The threads that did start would wait on the shared memory for ever: end them all.
    await Promise.all(workers.map((w) => w.terminate()));
    throw refused.reason;
  }
  let onLost: (why: string) => void = () => undefined;
  const lost = new Promise<string>((resolve) => (onLost = resolve));
  let closing = false;
  workers.forEach((w, i) => {
    w.unref();
    w.once('exit', (code) => closing || onLost(`kernel thread ${i + 1} exited (code ${code})`));
  });
  const pool = new SharedPool(
    kernels,
    memory,
    threads,
    () => {
      closing = true;
      void Promise.all(workers.map((w) => w.terminate()));
    },
    onLost,
  );
  const compute = new KernelCompute(kernels, memory, pool, lost, arithmetic);
  helpers.set(compute, workers);
  return compute;
}

const helpers = new WeakMap<KernelCompute, Worker[]>();

/** Tests only: ends one helper thread from outside, as a crash would. */
export async function killKernelThread(compute: KernelCompute): Promise<void> {
  await helpers.get(compute)?.[0]?.terminate();
}
