/**
 * Kernel calls shared across threads. Every kernel takes a unit range (t0, t1) last; a job is one
 * call whose units the threads claim in chunks as they come free (the calling thread too). The
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
  /**
   * Every helper thread answers, or the pool is declared lost (in words, thrown): called where
   * results are about to be reported, so a helper that is gone is noticed there at the latest,
   * however short the work since it went.
   */
  rollCall(): void;
  dispose(): void;
}

type Kernel = (...args: number[]) => void;

function call(
  k: LenetKernels,
  kernel: KernelName,
  args: readonly number[],
  t0: number,
  t1: number,
): void {
  (k[kernel] as unknown as Kernel)(...args, t0, t1);
}

/** One thread: every call made directly. */
export class SerialPool implements KernelPool {
  readonly threads = 1;
  constructor(private readonly k: LenetKernels) {}
  run(kernel: KernelName, args: readonly number[], units: number): void {
    call(this.k, kernel, args, 0, units);
  }
  rollCall(): void {}
  dispose(): void {}
}

// The control block (at CONTROL_AT, in shared memory): Int32 slots, then the job's f64 args.
export const SEQ = 0; // bumped for every job: what helpers sleep on
export const KERNEL = 1; // index into KERNEL_NAMES; QUIT ends the helpers, ROLL asks each to answer
export const UNITS = 2;
const ARGC = 3;
const FAILED = 4; // set by a helper whose kernel threw
export const NEXT = 5; // the job's generation (high 15 bits) and its next unclaimed unit (low 16 bits)
export const DONE = 6; // units the helpers have finished, this job
export const ANSWERS = 7; // bit t: helper t answered the roll call in flight
const HEART = 8; // HEART + t: the last job helper t saw (a helper that sees none is gone)
const MAX_HELPERS = 8;
const ARGS_AT = 64;
const MAX_ARGS = 24;
const CONTROL_BYTES = ARGS_AT + 8 * MAX_ARGS;
if (CONTROL_AT + CONTROL_BYTES > HEAP_BASE || HEART + MAX_HELPERS > ARGS_AT / 4)
  throw new Error('the control block does not fit');
const QUIT = -1;
/** A job of no units that every helper answers by setting its bit in ANSWERS. */
export const ROLL = -2;
export const UNIT_BITS = 16;
const MAX_UNITS = (1 << UNIT_BITS) - 1;

/**
 * Spin this many checks before sleeping on the futex: between the jobs of one training step the
 * next job comes within microseconds, and a wake from sleep costs tens of them.
 */
const SPIN = 4000;
/** Jobs with fewer units than this per thread run on the calling thread alone. */
const MIN_UNITS_PER_THREAD = 2;
/** Units are claimed in chunks of about this share of a job per thread (dynamic scheduling). */
const CHUNKS_PER_THREAD = 4;
const chunkOf = (units: number, threads: number) =>
  Math.max(1, Math.floor(units / (threads * CHUNKS_PER_THREAD)));
/**
 * A helper silent this long is gone (a worker ended from outside sends no error): say so and
 * fail, don't hang. A live one answers within microseconds, or a scheduler slice of a loaded
 * machine. Counted in sleeps that saw no progress, not by the clock (see `waitFor`).
 */
const ANSWER_MS = 5_000;
/** How long the calling thread sleeps at a time while it waits for helpers. */
const WAIT_MS = 100;
/**
 * A helper that has not even seen a job for this long, while jobs kept coming, is suspect: a roll
 * call then decides (a live helper the OS has put aside answers it when it runs again).
 */
const HEARTBEAT_MS = 2_000;

export function views(memory: { buffer: ArrayBufferLike }) {
  return {
    i32: new Int32Array(memory.buffer, CONTROL_AT, ARGS_AT / 4),
    f64: new Float64Array(memory.buffer, CONTROL_AT + ARGS_AT, MAX_ARGS),
  };
}

/**
 * Claims the next chunk of `units` for generation `gen`: its unit range, or null when the job has
 * none left or is no longer current (a helper that woke late must not take a later job's units).
 */
export function claim(
  i32: Int32Array,
  gen: number,
  units: number,
  chunk: number,
): [number, number] | null {
  for (;;) {
    const v = Atomics.load(i32, NEXT);
    if (v >>> UNIT_BITS !== gen) return null;
    const u = v & MAX_UNITS;
    if (u >= units) return null;
    const n = Math.min(chunk, units - u);
    if (Atomics.compareExchange(i32, NEXT, v, v + n) === v) return [u, u + n];
  }
}

/**
 * The calling thread's side of a pool of `threads` (helpers 1..threads−1 already serving the
 * same shared memory with `serveKernelThread`). Threads claim chunks of a job's units as they
 * come free, so a helper the OS has put aside (a busy machine) delays at most the chunk in its
 * hands, and the calling thread takes up the rest.
 */
export class SharedPool implements KernelPool {
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private closed = false;
  /** Why a helper was declared gone: the pool refuses every job from then on. */
  private broken: string | null = null;
  private gen = 0;
  /** Per helper: the last job it was seen to see, and since when. */
  private readonly beats: { seq: number; at: number }[];
  private lastRun = 0;

  constructor(
    private readonly k: LenetKernels,
    memory: { buffer: ArrayBufferLike },
    readonly threads: number,
    private readonly onDispose: () => void = () => undefined,
    /** Told, before run() throws, that a helper is gone: the pool cannot go on. */
    private readonly onLost: (why: string) => void = () => undefined,
    /** For the protocol's tests: runs after a job's fields are written, before it is published. */
    private readonly beforePublish: () => void = () => undefined,
  ) {
    if (threads - 1 > MAX_HELPERS) throw new RangeError(`at most ${MAX_HELPERS + 1} threads`);
    ({ i32: this.i32, f64: this.f64 } = views(memory));
    this.beats = Array.from({ length: threads }, () => ({ seq: -1, at: Date.now() }));
  }

  run(kernel: KernelName, args: readonly number[], units: number): void {
    if (this.closed) throw new Error('the kernel threads have been shut down');
    if (this.broken) throw new Error(this.broken);
    if (units < this.threads * MIN_UNITS_PER_THREAD) return call(this.k, kernel, args, 0, units);
    if (args.length > MAX_ARGS)
      throw new RangeError(`${kernel}: ${args.length} arguments, at most ${MAX_ARGS}`);
    if (units > MAX_UNITS) throw new RangeError(`${kernel}: ${units} units, at most ${MAX_UNITS}`);
    const index = KERNEL_NAMES.indexOf(kernel);
    if (index < 0) throw new RangeError(`${kernel} is not in KERNEL_NAMES`);
    const { i32 } = this;
    // Close the last job before its fields change: a helper still holding the last generation
    // then finds nothing to claim, whatever unit count or kernel it goes on to read.
    Atomics.store(i32, NEXT, (this.gen << UNIT_BITS) | MAX_UNITS);
    this.gen = (this.gen + 1) & 0x7fff;
    // The job, then its generation: a helper that reads the new generation sees this job.
    this.f64.set(args);
    Atomics.store(i32, KERNEL, index);
    Atomics.store(i32, UNITS, units);
    Atomics.store(i32, ARGC, args.length);
    Atomics.store(i32, DONE, 0);
    this.beforePublish();
    Atomics.store(i32, NEXT, this.gen << UNIT_BITS);
    Atomics.add(i32, SEQ, 1);
    Atomics.notify(i32, SEQ);
    const chunk = chunkOf(units, this.threads);
    let own = 0;
    for (let c = claim(i32, this.gen, units, chunk); c; c = claim(i32, this.gen, units, chunk)) {
      call(this.k, kernel, args, c[0], c[1]);
      own += c[1] - c[0];
    }
    this.waitFor(
      DONE,
      (done) => done >= units - own,
      (done) => `${units - own - done} units unfinished for ${ANSWER_MS / 1000} s`,
    );
    if (Atomics.load(i32, FAILED)) {
      Atomics.store(i32, FAILED, 0);
      throw new Error(`a kernel thread failed in ${kernel}`);
    }
    this.checkHeartbeats();
  }

  /**
   * Asks every helper to answer a job of no units, and waits until each has: a helper that is
   * gone (ended from outside, which no event reports in a browser) is found here, however short
   * the work since it went; one the OS has put aside answers when it runs again.
   */
  rollCall(): void {
    this.answered('');
  }

  /** The roll call; `context` ends its message if a helper does not answer. */
  private answered(context: string): void {
    if (this.closed) throw new Error('the kernel threads have been shut down');
    if (this.broken) throw new Error(this.broken);
    if (this.threads < 2) return;
    const { i32 } = this;
    // Close the last job first, as run() does: a helper still holding its generation claims
    // nothing.
    Atomics.store(i32, NEXT, (this.gen << UNIT_BITS) | MAX_UNITS);
    Atomics.store(i32, ANSWERS, 0);
    Atomics.store(i32, KERNEL, ROLL);
    Atomics.add(i32, SEQ, 1);
    Atomics.notify(i32, SEQ);
    const all = ((1 << this.threads) - 1) & ~1; // helpers 1..threads−1
    this.waitFor(
      ANSWERS,
      (bits) => bits === all,
      (bits) => {
        const missing = Array.from({ length: this.threads }, (_, t) => t).filter(
          (t) => t > 0 && !(bits & (1 << t)),
        );
        const who = missing.length === 1 ? `thread ${missing[0]}` : `threads ${missing.join(', ')}`;
        return `${who} did not answer a roll call in ${ANSWER_MS / 1000} s${context}`;
      },
    );
    const now = Date.now();
    this.beats.forEach((beat, t) => {
      beat.seq = Atomics.load(i32, HEART + t);
      beat.at = now;
    });
  }

  /**
   * Until `ready` holds for the control word at `slot`, which helpers change and notify. Silence
   * is counted in sleeps that saw no change, not by the clock: a machine that slept, or a frozen
   * tab, wakes to a helper that answers at once, and is not taken for one that is gone.
   */
  private waitFor(
    slot: number,
    ready: (value: number) => boolean,
    silentFor: (value: number) => string,
  ): void {
    const { i32 } = this;
    let spins = 0;
    let silent = 0;
    for (let seen = Atomics.load(i32, slot); !ready(seen);) {
      if (++spins < SPIN) {
        seen = Atomics.load(i32, slot);
        continue;
      }
      const woke = Atomics.wait(i32, slot, seen, WAIT_MS);
      const now = Atomics.load(i32, slot);
      if (now !== seen) silent = 0;
      else if (woke === 'timed-out' && ++silent * WAIT_MS >= ANSWER_MS)
        this.lost(`a kernel thread stopped answering (${silentFor(now)})`);
      seen = now;
    }
  }

  /**
   * A helper that has seen no job for HEARTBEAT_MS of work, even one that held no units, is
   * suspect: a roll call decides whether it is gone.
   */
  private checkHeartbeats(): void {
    const now = Date.now();
    // After an idle spell (between runs, while paused) nobody was expected to see anything.
    const idle = now - this.lastRun > 1000;
    this.lastRun = now;
    for (let t = 1; t < this.threads; t++) {
      const seq = Atomics.load(this.i32, HEART + t);
      const beat = this.beats[t]!;
      if (seq !== beat.seq || idle) {
        beat.seq = seq;
        beat.at = now;
      } else if (now - beat.at > HEARTBEAT_MS)
        return this.answered(`; thread ${t} had seen no job for ${HEARTBEAT_MS / 1000} s`);
    }
  }

  private lost(why: string): never {
    // The job stays in flight (a helper may still hold a chunk): no later job may share its counts.
    this.broken = why;
    this.onLost(why);
    throw new Error(why);
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.i32, KERNEL, QUIT);
    Atomics.add(this.i32, SEQ, 1);
    Atomics.notify(this.i32, SEQ);
    this.onDispose();
  }
}

/**
 * A helper thread's loop: takes chunks of each job, and answers each roll call, until the pool is
 * disposed. `ready` tells the host it serves, once it has read where the jobs stand: a job
 * published after that (a roll call above all) is one it sees.
 */
export function serveKernelThread(
  k: LenetKernels,
  memory: { buffer: ArrayBufferLike },
  tid: number,
  threads: number,
  ready: () => void,
): void {
  const { i32, f64 } = views(memory);
  let seen = Atomics.load(i32, SEQ);
  ready();
  for (;;) {
    let spins = 0;
    while (Atomics.load(i32, SEQ) === seen) {
      if (++spins > SPIN) Atomics.wait(i32, SEQ, seen);
    }
    seen = Atomics.load(i32, SEQ);
    Atomics.store(i32, HEART + tid, seen);
    // The generation first: the kernel and args read after it are that job's or a later one's
    // (a job is written before its generation), and a claim succeeds only while that job is
    // current (the caller closes a job, leaving no unit to claim, before it writes the next), so
    // a helper that woke late never runs one job's units, or another's, with another's kernel.
    const gen = Atomics.load(i32, NEXT) >>> UNIT_BITS;
    const kernel = Atomics.load(i32, KERNEL);
    if (kernel === QUIT) return;
    if (kernel === ROLL) {
      Atomics.or(i32, ANSWERS, 1 << tid);
      Atomics.notify(i32, ANSWERS);
      continue;
    }
    const units = Atomics.load(i32, UNITS);
    const args = Array.from(f64.subarray(0, i32[ARGC]!));
    const chunk = chunkOf(units, threads);
    for (let c = claim(i32, gen, units, chunk); c; c = claim(i32, gen, units, chunk)) {
      try {
        call(k, KERNEL_NAMES[kernel]!, args, c[0], c[1]);
      } catch {
        Atomics.store(i32, FAILED, 1);
      }
      Atomics.add(i32, DONE, c[1] - c[0]);
      Atomics.notify(i32, DONE);
    }
  }
}
