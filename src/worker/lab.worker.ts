/// <reference lib="webworker" />
/**
 * The lab's worker entry: decode a command, hand it to the handler, post its events with their
 * typed arrays transferred. Everything else lives in handler.ts (tested in Node).
 */
import { forgetKernels, initBackend, watchKernels } from './backends';
import { forgetBackend, watchBackend } from './device-watch';
import { forgetGpu, watchGpu } from './gpu-host';
import { FALLBACK_ORDER } from './fallback';
import { RunDb } from '../history/run-db';
import { LabHandler } from './handler';
import { loadMnist } from './mnist-source';
import { type LabEvent, isCommand, transferables } from './protocol';
import { workerLockName } from './run-lock';

declare const self: DedicatedWorkerGlobalScope;

// Test builds only (issue 6): the fault hooks; `__LAB_TEST_BUILD__` is the literal false in
// production, where this import and everything that uses it are compiled out.
const hooks = __LAB_TEST_BUILD__ ? import('../testing/worker-hooks') : null;
let observe: ((e: LabEvent) => void) | null = null;
// Settles after this module has run, so `handler` below exists when the hooks are connected.
void hooks?.then((h) => {
  observe = h.observe;
  h.connect((command) => handler.handle(command));
});

/**
 * Held for this worker's whole life, so the page is granted it the moment the worker dies, however
 * it dies (issue 6). Commands wait until it is held: any event the page sees comes after it.
 */
function holdForLife(name: string): Promise<void> {
  return new Promise((held) => {
    if (!self.navigator.locks) return held();
    self.navigator.locks
      .request(name, () => {
        held();
        return new Promise<never>(() => undefined);
      })
      .catch(() => held());
  });
}
const alive: Promise<unknown> = hooks
  ? Promise.all([holdForLife(workerLockName(self.name)), hooks])
  : holdForLife(workerLockName(self.name));

// A MessageChannel round trip is a macrotask without setTimeout's 4 ms clamp.
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();

let history: Promise<RunDb> | null = null;

/** Holds a Web Lock until released; where the API is missing, a no-op. */
function lock(name: string): Promise<() => void> {
  if (!self.navigator.locks) return Promise.resolve(() => undefined);
  return new Promise((held, refused) => {
    void self.navigator.locks.request(name, { ifAvailable: true }, (granted) => {
      if (!granted) return refused(new Error('this run is being trained in another tab'));
      return new Promise<void>((release) => held(release));
    });
  });
}

const handler = new LabHandler({
  post: (event) => {
    observe?.(event);
    self.postMessage(event, transferables(event));
  },
  initBackend,
  fallbackOrder: FALLBACK_ORDER,
  // The lab's kernels are lost when a thread of theirs dies; its GPU step and tfjs's webgpu when
  // their device is.
  watchBackend: (name) =>
    name === 'simd' ? watchKernels() : name === 'gpu' ? watchGpu() : watchBackend(),
  forgetBackend: (name) =>
    name === 'simd' ? forgetKernels() : name === 'gpu' ? forgetGpu() : forgetBackend(name),
  loadData: loadMnist,
  now: () => performance.now(),
  yieldToEvents: () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(null);
    }),
  openHistory: () => {
    history ??= RunDb.open(self.indexedDB);
    history.catch(() => (history = null));
    return history;
  },
  lock,
});

function dispatch(e: MessageEvent<unknown>): void {
  if (hooks && (e.data as { type?: unknown } | null)?.type === 'test') {
    void hooks.then((h) => h.handle(e.data as Parameters<typeof h.handle>[0], e.ports[0]));
    return;
  }
  if (isCommand(e.data)) handler.handle(e.data);
  else
    self.postMessage({
      type: 'error',
      message: `the worker got a message it does not know: ${JSON.stringify(e.data)?.slice(0, 100)}`,
    });
}

self.onmessage = (e: MessageEvent<unknown>) => void alive.then(() => dispatch(e));
