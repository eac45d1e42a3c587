/**
 * Test builds only (issue 6): the faults the browser tests inject into the lab's worker, and
 * what the worker answers, over a MessagePort handed over with each command so the lab's own
 * channel never carries them. Nothing here is reachable from the production bundle
 * (`__LAB_TEST_BUILD__`, checked by tests/node/bundle.test.ts).
 */
import type { BackendName } from '../worker/protocol';

export type TestCommand = { type: 'test' } & Fault;

/** What to inject, or to read. */
export type Fault =
  /** An exception thrown out of the worker's event loop: worker.onerror on the page. */
  | { kind: 'crash' }
  /** `device.destroy()` on the WebGPU device in use: its `lost` promise settles. */
  | { kind: 'loseDevice' }
  /** This backend's factory throws from now on: a backend that fails to initialise. */
  | { kind: 'breakBackend'; backend: BackendName }
  /** The next tensor upload throws a RangeError, as a wasm heap that cannot grow does. */
  | { kind: 'outOfMemory' }
  /**
   * One of the lab's kernels' helper threads is terminated from outside, as a crash would end it.
   */
  | { kind: 'killKernelThread' }
  /** The run pauses at its next checkpoint, as the user's Pause would (the page shows it). */
  | { kind: 'pause' }
  /**
   * `fault`, injected the moment round `round` starts (as the worker posts its roundStarted), not
   * when the test gets round to it: a fault lands in the round it is meant for, however fast this
   * machine trains. Answered once when armed, and again, with `fired`, when it fires.
   */
  | { kind: 'atRoundStart'; round: number; fault: Fault }
  /** The worker fetches `url`: the privacy tests' way to make the lab's own worker try to leak. */
  | { kind: 'fetch'; url: string }
  /** tf.memory() now, and as it was at the start of every round so far. */
  | { kind: 'memory' };

/** What the backend holds at one moment; GPU bytes where the backend has them (WebGPU). */
export interface MemorySample {
  backend: string | null;
  numTensors: number;
  numBytes: number;
  /**
   * The WebGPU backend's buffers, whichever backend is current (null until WebGPU has started):
   * bytes in use by tensors (numBytesInGPU), and allocated, pooled ones included
   * (numBytesAllocatedInGPU).
   */
  gpuBytesInUse: number | null;
  gpuBytesAllocated: number | null;
  /** The lab's kernels' WebAssembly heap in use (null until they have started). */
  kernelHeapBytes: number | null;
}

export interface TestReply {
  ok: boolean;
  detail: string;
  /** Set on the answer of a fault armed with atRoundStart, when it fired: where, and which. */
  fired?: { round: number; kind: Fault['kind'] };
  memory?: { now: MemorySample; atRoundStart: (MemorySample & { round: number })[] };
}

/** The page's test hooks, as window.__lab (src/testing/page-hooks.ts). */
export interface LabTestHooks {
  /** Sends a command to the lab worker in use and waits for its answer. */
  send(command: TestCommand): Promise<TestReply>;
  /**
   * Hands a command to the lab worker running now, or, with none running, queues it for the next
   * one, ahead of anything the page sends it. (The page starts its worker when idle, to time the
   * device: a fault that must come before the worker's first command goes in `__labArmFirst`.)
   */
  arm(command: TestCommand): void;
  /** Every answer the lab workers gave so far, in order: to armed commands and sent ones alike. */
  answers(): TestReply[];
  /** terminate() on the lab worker from outside the lab's own code, as the browser might. */
  terminateWorker(): boolean;
  /** Lab workers started so far. */
  workersStarted(): number;
  /** Lab workers ended by terminate() so far (by the lab's client, or by terminateWorker()). */
  workersEnded(): number;
}

declare global {
  interface Window {
    __lab?: LabTestHooks;
    /**
     * Commands for the first lab worker, set before the page loads (Playwright's
     * addInitScript): they reach it before its first command, the device timing included.
     */
    __labArmFirst?: TestCommand[];
  }
}
