/**
 * Kernel calls shared across threads. Every kernel takes a unit range (t0, t1) last; a job is one
 * call split into contiguous ranges, one per thread, the calling thread taking the first. The
 * threads are workers that instantiated the same module over the same shared memory, so a job
 * is only a few numbers in a control block and a futex wake (Atomics), not a message.
 *
 * The split never changes a result: each unit is computed whole by one thread, in one order.
 */
import { CONTROL_AT, HEAP_BASE, KERNEL_NAMES, type KernelName, type LenetKernels } from './abi';

export interface KernelPool {
  /** Threads doing the work, the calling one included. */
  readonly threads: number;
  run(kernel: KernelName, args: readonly number[], units: number): void;
  dispose(): void;
}

type Kernel = (...args: number[]) => void;

function call(k: LenetKernels, kernel: KernelName, args: readonly number[], t0: number, t1: number): void {
  (k[kernel] as unknown as Kernel)(...args, t0, t1);
}

/** Thread t's share of `units` among `threads`. */
export function share(units: number, t: number, threads: number): [number, number] {
  return [Math.floor((units * t) / threads), Math.floor((units * (t + 1)) / threads)];
}

/** One thread: every call made directly. */
export class SerialPool implements KernelPool {
  readonly threads = 1;
  constructor(private readonly k: LenetKernels) {}
  run(kernel: KernelName, args: readonly number[], units: number): void {
    call(this.k, kernel, args, 0, units);
  }
  dispose(): void {}
}

// The control block (CONTROL_BYTES at `control`, in shared memory): Int32 slots, then f64 args.
const SEQ = 0; // bumped for every job
const DONE = 1; // helpers finished with the current job
const KERNEL = 2; // index into KERNEL_NAMES; QUIT ends the helpers
const UNITS = 3;
const ARGC = 4;
const FAILED = 5; // set by a helper whose kernel threw
const ARGS_AT = 64;
const MAX_ARGS = 24;
const CONTROL_BYTES = ARGS_AT + 8 * MAX_ARGS;
if (CONTROL_AT + CONTROL_BYTES > HEAP_BASE) throw new Error('the control block overlaps the heap');
const QUIT = -1;

/**
 * Spin this many checks before sleeping on the futex: between the jobs of one training step the
 * next job comes within microseconds, and a wake from sleep costs tens of them.
 */
const SPIN = 4000;
/** Jobs with fewer units than this per thread run on the calling thread alone. */
const MIN_UNITS_PER_THREAD = 2;
/**
 * A helper that has not answered in this long is gone (a worker ended from outside sends no
 * error): say so and fail, don't hang. A live one answers within microseconds, or a scheduler
 * slice of a loaded machine.
 */
const ANSWER_MS = 5_000;

function views(memory: { buffer: ArrayBufferLike }) {
  return { i32: new Int32Array(memory.buffer, CONTROL_AT, ARGS_AT / 4), f64: new Float64Array(memory.buffer, CONTROL_AT + ARGS_AT, MAX_ARGS) };
}

/**
 * The calling thread's side of a pool of `threads` (helpers 1..threads−1 already serving the
 * same shared memory with `serveKernelThread`).
 */
export class SharedPool implements KernelPool {
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private closed = false;

  constructor(
    private readonly k: LenetKernels,
    memory: { buffer: ArrayBufferLike },
    readonly threads: number,
    private readonly onDispose: () => void = () => undefined,
    /** Told, before run() throws, that a helper is gone: the pool cannot go on. */
    private readonly onLost: (why: string) => void = () => undefined,
  ) {
    ({ i32: this.i32, f64: this.f64 } = views(memory));
  }

  run(kernel: KernelName, args: readonly number[], units: number): void {
    if (this.closed) throw new Error('the kernel threads have been shut down');
    if (units < this.threads * MIN_UNITS_PER_THREAD) return call(this.k, kernel, args, 0, units);
    if (args.length > MAX_ARGS) throw new RangeError(`${kernel}: ${args.length} arguments, at most ${MAX_ARGS}`);
    const { i32 } = this;
    this.f64.set(args);
    i32[KERNEL] = KERNEL_NAMES.indexOf(kernel);
    i32[UNITS] = units;
    i32[ARGC] = args.length;
    Atomics.store(i32, DONE, 0);
    Atomics.add(i32, SEQ, 1);
    Atomics.notify(i32, SEQ);
    const [t0, t1] = share(units, 0, this.threads);
    call(this.k, kernel, args, t0, t1);
    this.await(this.threads - 1);
    if (Atomics.load(i32, FAILED)) {
      Atomics.store(i32, FAILED, 0);
      throw new Error(`a kernel thread failed in ${kernel}`);
    }
  }

  private await(helpers: number): void {
    const { i32 } = this;
    let spins = 0;
    const started = Date.now();
    for (let done = Atomics.load(i32, DONE); done < helpers; done = Atomics.load(i32, DONE)) {
      if (++spins < SPIN) continue;
      Atomics.wait(i32, DONE, done, 100);
      if (Date.now() - started > ANSWER_MS) {
        const why = `a kernel thread stopped answering (${helpers - done} of ${helpers} silent for ${ANSWER_MS / 1000} s)`;
        this.onLost(why);
        throw new Error(why);
      }
    }
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.i32[KERNEL] = QUIT;
    Atomics.add(this.i32, SEQ, 1);
    Atomics.notify(this.i32, SEQ);
    this.onDispose();
  }
}

/** A helper thread's loop: runs its share of each job until the pool is disposed. */
export function serveKernelThread(k: LenetKernels, memory: { buffer: ArrayBufferLike }, tid: number, threads: number): void {
  const { i32, f64 } = views(memory);
  let seen = Atomics.load(i32, SEQ);
  for (;;) {
    let spins = 0;
    while (Atomics.load(i32, SEQ) === seen) {
      if (++spins > SPIN) Atomics.wait(i32, SEQ, seen);
    }
    seen = Atomics.load(i32, SEQ);
    const kernel = i32[KERNEL]!;
    if (kernel === QUIT) return;
    try {
      const [t0, t1] = share(i32[UNITS]!, tid, threads);
      if (t1 > t0) call(k, KERNEL_NAMES[kernel]!, Array.from(f64.subarray(0, i32[ARGC]!)), t0, t1);
    } catch {
      Atomics.store(i32, FAILED, 1);
    }
    Atomics.add(i32, DONE, 1);
    Atomics.notify(i32, DONE);
  }
}
