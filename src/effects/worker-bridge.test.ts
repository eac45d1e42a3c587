// @vitest-environment happy-dom
/**
 * The worker bridge (worker-bridge.ts) over a fake Worker: commands go out as the protocol says,
 * events come into the store, curve batches are coalesced in order, and only the worker's own
 * word that a run ended (or its loss) is told to the store as such.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LabEvent } from '../worker/protocol';

class FakeWorker {
  static last: FakeWorker | null = null;
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  sent: { type: string }[] = [];
  constructor() {
    FakeWorker.last = this;
  }
  postMessage(m: { type: string }) {
    this.sent.push(m);
  }
  terminate() {}
  say(e: LabEvent) {
    this.onmessage?.({ data: e } as MessageEvent);
  }
}

let bridge: typeof import('./worker-bridge');
let useLabStore: (typeof import('../state/lab-store'))['useLabStore'];

beforeEach(async () => {
  vi.useFakeTimers();
  vi.stubGlobal('Worker', FakeWorker);
  Object.defineProperty(navigator, 'locks', { configurable: true, value: undefined });
  vi.resetModules();
  bridge = await import('./worker-bridge');
  ({ useLabStore } = await import('../state/lab-store'));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  Reflect.deleteProperty(navigator, 'locks');
});

describe('the worker bridge', () => {
  it('starts every kind of run with one start command, on the chosen backend', () => {
    useLabStore
      .getState()
      .settingsEdited({ config: useLabStore.getState().config, backend: 'wasm' });
    bridge.startNewRun(true);
    bridge.startRun({ kind: 'continue', runId: 'r1' });
    bridge.resumeRun();
    expect(FakeWorker.last!.sent).toEqual([
      { type: 'init', assetBase: expect.any(String) },
      {
        type: 'start',
        run: { kind: 'new', config: useLabStore.getState().config },
        backend: 'wasm',
        pauseAfterRound: true,
      },
      {
        type: 'start',
        run: { kind: 'continue', runId: 'r1' },
        backend: 'wasm',
        pauseAfterRound: false,
      },
      { type: 'resume' },
    ]);
  });

  it('tells the store a run ended only when the worker says so', () => {
    bridge.stopRun();
    const w = FakeWorker.last!;
    const ended = () => useLabStore.getState().runsEnded;
    w.say({ type: 'state', state: 'running' });
    w.say({ type: 'state', state: 'paused' });
    expect(ended()).toBe(0);
    for (const state of ['stopped', 'done', 'failed'] as const) w.say({ type: 'state', state });
    expect(ended()).toBe(3);
    expect(useLabStore.getState().state).toBe('failed');
  });

  it('coalesces curve batches and hands them over before the next event, in the worker’s order', () => {
    bridge.pauseRun();
    const w = FakeWorker.last!;
    const progress = { round: 0, iteration: 10, iterations: 20, examplesPerSecond: 1 };
    w.say({
      type: 'roundStarted',
      round: 0,
      variants: ['ticket'],
      remaining: 1,
      remainingByLayer: [1, 1, 1],
    });
    const batch = (iteration: number) => Float64Array.from([0, 0, iteration, 1, 1, 0.5, 0.5]);
    w.say({ type: 'curvePoints', variants: ['ticket'], points: batch(0), progress: null });
    w.say({ type: 'curvePoints', variants: ['ticket'], points: batch(10), progress });
    const points = () => useLabStore.getState().rounds[0]!.curves.ticket ?? [];
    expect(points()).toEqual([]); // held for at most 250 ms
    w.say({ type: 'state', state: 'paused' });
    expect(points().map((p) => p.iteration)).toEqual([0, 10]);
    expect(useLabStore.getState().progress).toEqual(progress);
    expect(useLabStore.getState().state).toBe('paused');
    w.say({ type: 'curvePoints', variants: ['ticket'], points: batch(20), progress: null });
    vi.advanceTimersByTime(250);
    expect(points().map((p) => p.iteration)).toEqual([0, 10, 20]);
  });
});
