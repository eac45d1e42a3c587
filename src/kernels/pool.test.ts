/**
 * The job protocol of SharedPool, with the calling thread's side real and a helper played by the
 * test at the moments a slow thread could act: between the writes of a job, holding a chunk it
 * never finishes, or put aside by the OS when a roll call comes. The kernels are recorders, so a
 * unit done twice or never shows.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { KernelName, LenetKernels } from './abi';
import {
  ANSWERS,
  DONE,
  KERNEL,
  NEXT,
  ROLL,
  SEQ,
  SharedPool,
  UNITS,
  UNIT_BITS,
  claim,
  views,
} from './pool';

/** Kernels that record which units each job ran, in order. */
function recorder() {
  const ran: { kernel: string; t0: number; t1: number }[] = [];
  const kernels = new Proxy(
    {},
    {
      get:
        (_, kernel) =>
        (...a: number[]) =>
          void ran.push({ kernel: String(kernel), t0: a.at(-2)!, t1: a.at(-1)! }),
    },
  ) as LenetKernels;
  return { kernels, ran };
}

/** How often each unit of `kernel` ran. */
function counts(
  ran: { kernel: string; t0: number; t1: number }[],
  kernel: KernelName,
  units: number,
): number[] {
  const n = new Array<number>(units).fill(0);
  for (const r of ran) if (r.kernel === kernel) for (let u = r.t0; u < r.t1; u++) n[u]!++;
  return n;
}

const sharedMemory = () => new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });

describe('the kernel pool’s jobs', () => {
  it('a helper that read the last job’s generation claims nothing of the next, even mid-write', () => {
    const memory = sharedMemory();
    const { i32 } = views(memory);
    const { kernels, ran } = recorder();
    let staleGen = -1;
    let stale: [number, number] | null = null;
    // The helper woke for the small job, read its generation, and was put aside; it reads the
    // next job's unit count while that job is being written, and tries to claim.
    const pool = new SharedPool(kernels, memory, 2, undefined, undefined, () => {
      if (staleGen < 0) return;
      stale = claim(i32, staleGen, Atomics.load(i32, UNITS), 5);
      if (stale) {
        (kernels.weightAdam as unknown as (...a: number[]) => void)(stale[0], stale[1]); // the units it claimed
        Atomics.add(i32, DONE, stale[1] - stale[0]);
      }
    });
    pool.run('biasAdam', [1, 2, 3], 4); // the calling thread takes every unit
    staleGen = Atomics.load(i32, NEXT) >>> UNIT_BITS;
    pool.run('weightAdam', [1, 2, 3], 48);
    expect(stale).toBeNull();
    expect(counts(ran, 'biasAdam', 4)).toEqual([1, 1, 1, 1]);
    expect(counts(ran, 'weightAdam', 48)).toEqual(new Array(48).fill(1)); // every unit once
  });

  it('a helper that holds units and never finishes them is declared gone, and the pool then refuses every job', () => {
    const memory = sharedMemory();
    const { i32 } = views(memory);
    const reasons: string[] = [];
    let taken = false;
    // From inside the caller's first chunk, a "helper" claims the next chunk and dies holding it.
    const kernels = new Proxy(
      {},
      {
        get: () => () => {
          if (taken) return;
          taken = true;
          claim(i32, Atomics.load(i32, NEXT) >>> UNIT_BITS, Atomics.load(i32, UNITS), 8); // never adds to DONE
        },
      },
    ) as LenetKernels;
    const pool = new SharedPool(kernels, memory, 2, undefined, (why) => reasons.push(why));
    const started = performance.now();
    expect(() => pool.run('forward', [0], 64)).toThrow(
      'a kernel thread stopped answering (8 units unfinished for 5 s)',
    );
    expect(performance.now() - started).toBeGreaterThan(4_500);
    expect(reasons).toHaveLength(1);
    // That job is still in flight (the helper's chunk): no later job may share its counts.
    expect(() => pool.run('biasAdam', [0], 64)).toThrow(
      'a kernel thread stopped answering (8 units unfinished for 5 s)',
    );
    expect(reasons).toHaveLength(1);
  }, 15_000);

  it('a roll call that a helper never answers declares it gone, in words, and the pool then refuses every job', () => {
    const memory = sharedMemory();
    const { kernels, ran } = recorder();
    const reasons: string[] = [];
    // Two threads, and nobody serving as thread 1: a helper ended between two jobs, holding
    // nothing.
    const pool = new SharedPool(kernels, memory, 2, undefined, (why) => reasons.push(why));
    pool.run('weightAdam', [1], 48); // the calling thread takes every unit: nothing shows it yet
    expect(counts(ran, 'weightAdam', 48)).toEqual(new Array(48).fill(1));
    const gone = 'a kernel thread stopped answering (thread 1 did not answer a roll call in 5 s)';
    expect(() => pool.rollCall()).toThrow(gone);
    expect(reasons).toEqual([gone]);
    expect(() => pool.run('weightAdam', [1], 48)).toThrow(gone);
    expect(() => pool.rollCall()).toThrow(gone);
  }, 15_000);

  it('a helper the OS puts aside for longer than the heartbeat answers the roll call when it runs again, and is not taken for gone', async () => {
    const memory = sharedMemory();
    const { kernels, ran } = recorder();
    const reasons: string[] = [];
    const pool = new SharedPool(kernels, memory, 2, undefined, (why) => reasons.push(why));
    const asleep = await slowHelper(memory, 2_500);
    try {
      // Jobs keep coming while the helper sleeps: past 2 s the pool suspects it and calls the
      // roll, which waits (silence counted in sleeps, up to 5 s) until the helper answers.
      const t0 = performance.now();
      let jobs = 0;
      for (; performance.now() - t0 < 3_000; jobs++) pool.run('biasAdam', [jobs], 8);
      expect(asleep.answered()).toBeGreaterThanOrEqual(1);
      pool.rollCall(); // awake now: answered at once
      expect(asleep.answered()).toBeGreaterThanOrEqual(2);
      expect(reasons).toEqual([]);
      expect(counts(ran, 'biasAdam', 8)).toEqual(new Array(8).fill(jobs)); // every unit, every job
    } finally {
      await asleep.end();
    }
  }, 15_000);
});

/**
 * Thread 1 played by a worker thread: it sleeps `sleepMs` (put aside by the OS), then answers
 * every roll call as serveKernelThread does and claims no unit of any other job.
 */
async function slowHelper(memory: WebAssembly.Memory, sleepMs: number) {
  const slots = { SEQ, KERNEL, ANSWERS, ROLL };
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { memory, at, slots, sleepMs, answers } = workerData;
    const i32 = new Int32Array(memory.buffer, at, 16);
    let seen = Atomics.load(i32, slots.SEQ);
    parentPort.postMessage('ready');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, sleepMs);
    for (;;) {
      Atomics.wait(i32, slots.SEQ, seen);
      seen = Atomics.load(i32, slots.SEQ);
      const kernel = Atomics.load(i32, slots.KERNEL);
      if (kernel === -1) break;
      if (kernel !== slots.ROLL) continue;
      Atomics.add(answers, 0, 1);
      Atomics.or(i32, slots.ANSWERS, 1 << 1);
      Atomics.notify(i32, slots.ANSWERS);
    }`;
  const answers = new Int32Array(new SharedArrayBuffer(4));
  const at = views(memory).i32.byteOffset;
  const worker = new Worker(code, {
    eval: true,
    workerData: { memory, at, slots, sleepMs, answers },
  });
  await new Promise((ready) => worker.once('message', ready));
  return {
    answered: () => Atomics.load(answers, 0),
    end: () => worker.terminate(),
  };
}
