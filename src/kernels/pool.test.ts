/**
 * The job protocol of SharedPool, with the calling thread's side real and a helper played by the
 * test at the moments a slow thread could act: between the writes of a job, or holding a chunk
 * it never finishes. The kernels are recorders, so a unit done twice or never shows.
 */
import { describe, expect, it } from 'vitest';
import type { KernelName, LenetKernels } from './abi';
import { DONE, NEXT, SharedPool, UNITS, UNIT_BITS, claim, views } from './pool';

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
});
