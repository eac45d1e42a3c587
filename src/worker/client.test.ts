// @vitest-environment happy-dom
/**
 * The page's handle on the worker (issue 6): a worker that dies on its own is reported in words
 * and replaced on the next command, whether it threw (onerror) or was ended without a word (its
 * life lock freed); a worker the client ends on purpose is not reported as a death.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LabEvent } from './protocol';
import { LabClient } from './client';

/** A Worker that records what it is sent and can be made to fail. */
class FakeWorker {
  static all: FakeWorker[] = [];
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  sent: unknown[] = [];
  terminated = false;
  constructor(
    readonly url: URL,
    readonly options: WorkerOptions,
  ) {
    FakeWorker.all.push(this);
  }
  postMessage(m: unknown) {
    this.sent.push(m);
  }
  terminate() {
    this.terminated = true;
    locks.release(this.options.name!);
  }
  /** The worker answers: from then on the page waits for its life lock. */
  answer(e: LabEvent) {
    locks.holdFor(this.options.name!);
    this.onmessage?.({ data: e } as MessageEvent);
  }
}

/** Web Locks as far as the client uses them: a waiter is granted a lock once its holder lets go. */
const locks = {
  held: new Set<string>(),
  waiting: new Map<string, () => void>(),
  holdFor(workerName: string) {
    this.held.add(`lottery-ticket-lab:worker:${workerName}`);
  },
  release(workerName: string) {
    const name = `lottery-ticket-lab:worker:${workerName}`;
    this.held.delete(name);
    const grant = this.waiting.get(name);
    this.waiting.delete(name);
    grant?.();
  },
  request(name: string, callback: () => unknown) {
    return new Promise<unknown>((resolve) => {
      const grant = () => resolve(callback());
      if (this.held.has(name)) this.waiting.set(name, grant);
      else grant();
    });
  },
};

let events: LabEvent[];
let gone: number;
let client: LabClient;

beforeEach(() => {
  FakeWorker.all = [];
  locks.held.clear();
  locks.waiting.clear();
  Object.assign(globalThis, { Worker: FakeWorker });
  Object.defineProperty(navigator, 'locks', { value: locks, configurable: true });
  events = [];
  gone = 0;
  client = new LabClient(
    (e) => events.push(e),
    'http://lab/',
    () => gone++,
  );
});

afterEach(() => {
  Reflect.deleteProperty(navigator, 'locks');
});

const flush = () => new Promise((r) => setTimeout(r, 0));
const alerts = () =>
  events.filter((e) => e.type === 'error').map((e) => (e as { message: string }).message);
const states = () =>
  events.flatMap((e) =>
    e.type === 'state' ? [`${e.state}${e.detail ? ` (${e.detail})` : ''}`] : [],
  );

describe('LabClient', () => {
  it('gives each worker a name of its own and starts it with init', () => {
    client.send({ type: 'stop' });
    const [w] = FakeWorker.all;
    expect(w!.options).toMatchObject({ type: 'module' });
    expect(w!.options.name).toMatch(/^lottery-ticket-lab \S+$/);
    expect(w!.sent[0]).toEqual({ type: 'init', assetBase: 'http://lab/' });
  });

  it('a worker that throws: said in words, marked failed, replaced by a fresh one on the next command', async () => {
    client.send({ type: 'setBackend', backend: 'wasm' });
    const w = FakeWorker.all[0]!;
    w.answer({ type: 'state', state: 'idle' });
    w.onerror?.({ message: 'Uncaught Error: boom', preventDefault: () => undefined } as ErrorEvent);
    expect(w.terminated).toBe(true);
    expect(alerts()).toEqual([
      "The lab's worker stopped (it crashed: Uncaught Error: boom). Nothing computed is lost: every completed round is in the run history, and an interrupted run is offered to continue.",
    ]);
    expect(states()).toEqual(['idle', 'failed (the worker stopped)']);
    await flush();
    expect(gone).toBe(1); // its lock is free: the page reads the history again
    expect(alerts()).toHaveLength(1); // reported once, not again when its lock comes free
    client.send({ type: 'setBackend', backend: 'wasm' });
    expect(FakeWorker.all).toHaveLength(2);
  });

  it('a worker ended without a word: noticed when its life lock comes free', async () => {
    client.send({ type: 'setBackend', backend: 'wasm' });
    const w = FakeWorker.all[0]!;
    w.answer({ type: 'state', state: 'running' });
    await flush();
    expect(alerts()).toEqual([]); // alive: its lock is held
    locks.release(w.options.name!); // what terminate() from elsewhere, or the browser, does
    await flush();
    expect(alerts()[0]).toMatch(/^The lab's worker stopped \(it ended without a word/);
    expect(states().at(-1)).toBe('failed (the worker stopped)');
    expect(gone).toBe(1);
  });

  it('a worker the client ends itself (the hard stop) is not reported as a death', async () => {
    client.send({ type: 'setBackend', backend: 'wasm' });
    const w = FakeWorker.all[0]!;
    w.answer({ type: 'state', state: 'running' });
    client.terminate('stopped', 'the worker did not stop in time and was terminated');
    await flush();
    expect(alerts()).toEqual([]);
    expect(states().at(-1)).toBe('stopped (the worker did not stop in time and was terminated)');
    expect(gone).toBe(1);
  });

  it('does not queue for the lock before the worker holds it (it answers only then)', async () => {
    client.send({ type: 'setBackend', backend: 'wasm' });
    await flush();
    expect(locks.waiting.size).toBe(0);
    expect(alerts()).toEqual([]);
  });
});
