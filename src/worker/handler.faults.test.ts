/**
 * Issue 6 through the worker protocol in Node: a lost GPU device, a backend that will not start,
 * an error in the middle of a round, no backend left; twenty stop/starts and a 30-round run that
 * must leave the tensor count where it was. The faults are injected through the handler's
 * platform pieces (HandlerDeps), exactly where the browser's would come in.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RoundSummary } from './protocol';
import { FALLBACK_ORDER, LOSS_GRACE_MS } from './fallback';
import { deferred, fakeBackends, faultHarness, tinyConfig } from './handler.testing';

/** What a round computed: everything but timings. */
const science = (s: RoundSummary) => ({
  round: s.round,
  remaining: s.remaining,
  variants: s.variants,
});

/** The rounds of tinyConfig(40, 2) on a run with no fault: what a faulty run must still compute. */
let clean: Promise<ReturnType<typeof science>[]> | null = null;
function cleanRun() {
  clean ??= (async () => {
    const h = faultHarness({ openHistory: async () => null });
    h.send({ type: 'start', run: { kind: 'new', config: tinyConfig(40, 2) }, backend: 'cpu' });
    await h.next('state', (e) => e.state === 'done');
    return h.events.flatMap((e) => (e.type === 'roundCompleted' ? [science(e.summary)] : []));
  })();
  return clean;
}

/** Waits until the tensor count settles (an abandoned attempt unwinds at its next checkpoint). */
async function settledTensors(expected: number): Promise<number> {
  for (let i = 0; i < 40 && tf.memory().numTensors !== expected; i++)
    await new Promise((r) => setTimeout(r, 25));
  return tf.memory().numTensors;
}

/**
 * A handler whose webgpu backend can be lost: `loss` settles the device's lost promise, and
 * `forgotten` lists the backends the handler let go of. The other deps are as given.
 */
function losableWebGpu(deps: Parameters<typeof faultHarness>[0] = {}) {
  const loss = deferred<string>();
  const forgotten: string[] = [];
  const state = { current: '' };
  const h = faultHarness({
    fallbackOrder: FALLBACK_ORDER,
    initBackend: async (choice, base) => {
      const started = await fakeBackends(choice, base);
      state.current = started.info.backend;
      return started;
    },
    watchBackend: () => (state.current === 'webgpu' ? loss.promise : null),
    forgetBackend: (name) => void forgotten.push(name),
    ...deps,
  });
  return { h, loss, forgotten, onWebGpu: () => state.current === 'webgpu' };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('faults (issue 6)', () => {
  it('a device lost mid-round: falls back to the next backend, says so, and trains the round again from its start, losing nothing', async () => {
    const clean = await cleanRun();
    const baseline = tf.memory().numTensors;
    const { h, loss, forgotten } = losableWebGpu();
    h.send({ type: 'start', run: { kind: 'new', config: tinyConfig(40, 2) }, backend: 'webgpu' });
    const started = await h.next('runStarted');
    await h.next('curvePoints', (e) => e.points[0] === 1); // round 1 is under way
    loss.resolve('the WebGPU device was lost (destroyed)');

    const fell = await h.next('fellBack');
    // The next in FALLBACK_ORDER after webgpu: the lab's kernels (here a fake of that name, on tfjs
    // cpu).
    expect(fell).toMatchObject({
      from: 'webgpu',
      round: 1,
      reason: 'the WebGPU device was lost (destroyed)',
      info: { backend: 'simd' },
    });
    expect(fell.message).toBe(
      'The webgpu backend failed (the WebGPU device was lost (destroyed)): the lab switched to simd; round 1 trains again from its start, and every completed round is kept.',
    );
    expect(forgotten).toEqual(['webgpu']); // a later start builds a fresh device
    await h.next('state', (e) => e.state === 'done');
    expect(h.started).toEqual(['webgpu', 'simd']);

    // After the fallback the round starts over: nothing of the abandoned attempt comes through.
    const after = h.events.slice(h.events.indexOf(fell) + 1);
    expect(after.findIndex((e) => e.type === 'roundStarted')).toBeLessThan(
      after.findIndex((e) => e.type === 'curvePoints'),
    );
    expect(after.find((e) => e.type === 'roundStarted')).toMatchObject({ round: 1 });
    const summaries = h.events.flatMap((e) =>
      e.type === 'roundCompleted' ? [science(e.summary)] : [],
    );
    expect(summaries).toEqual(clean); // the same science as a run that never lost its device
    const stored = await (await h.db).rounds(started.runId!);
    expect(stored.map((r) => r.round)).toEqual([0, 1, 2]);
    // The history's row says where the run trained: where it started, then where it went on.
    expect((await (await h.db).get(started.runId!))!.backend).toMatch(/^webgpu · .* → simd · /);
    expect(await settledTensors(baseline)).toBe(baseline);
  });

  it('a round that fails because its device is being lost (a read rejected first) is told apart from an ordinary error', async () => {
    let armed = false;
    // As on a destroyed GPUDevice: the pending read fails, and `lost` settles a moment later.
    const { h, loss, forgotten, onWebGpu } = losableWebGpu({
      yieldToEvents: () =>
        new Promise((resolve, reject) =>
          setImmediate(() => {
            if (!armed || !onWebGpu()) return resolve();
            reject(
              new Error(
                "Failed to execute 'mapAsync' on 'GPUBuffer': Buffer was unmapped before mapping was resolved.",
              ),
            );
            setTimeout(() => loss.resolve('the WebGPU device was lost: destroyed'), 20);
          }),
        ),
    });
    h.send({ type: 'start', run: { kind: 'new', config: tinyConfig(20, 0) }, backend: 'webgpu' });
    await h.next('curvePoints');
    armed = true;
    const fell = await h.next('fellBack');
    expect(fell).toMatchObject({
      from: 'webgpu',
      round: 0,
      reason: 'the WebGPU device was lost: destroyed',
    });
    expect(forgotten).toEqual(['webgpu']);
    await h.next('state', (e) => e.state === 'done');
  });

  it('on a backend that can be lost, a stop still lands at once (the wait for a loss is only for failures)', async () => {
    const h = faultHarness({
      fallbackOrder: FALLBACK_ORDER,
      watchBackend: () => new Promise<string>(() => undefined),
    });
    h.send({ type: 'start', run: { kind: 'new', config: tinyConfig(2000, 1) }, backend: 'webgpu' });
    await h.next('curvePoints');
    const asked = performance.now();
    h.send({ type: 'stop' });
    await h.next('state', (e) => e.state === 'stopped');
    expect(performance.now() - asked).toBeLessThan(LOSS_GRACE_MS / 2);
    expect(h.events.some((e) => e.type === 'fellBack')).toBe(false);
  });

  it('a chosen backend that will not start: the next one does, and the page is told before the run starts', async () => {
    const h = faultHarness({
      fallbackOrder: FALLBACK_ORDER,
      initBackend: async (choice, base) => {
        if (choice === 'webgpu') throw new Error('the WebGPU backend failed to start');
        return fakeBackends(choice, base);
      },
    });
    h.send({ type: 'start', run: { kind: 'new', config: tinyConfig(20, 0) }, backend: 'webgpu' });
    const fell = await h.next('fellBack');
    expect(fell).toMatchObject({
      from: 'webgpu',
      round: null,
      reason: 'the WebGPU backend failed to start',
      info: { backend: 'simd' },
    });
    expect(fell.message).toContain('the run starts there');
    await h.next('state', (e) => e.state === 'done');
    expect(h.events.findIndex((e) => e.type === 'fellBack')).toBeLessThan(
      h.events.findIndex((e) => e.type === 'runStarted'),
    );
  });

  it('an error inside a round (out of memory): the round trains again on the next backend, which is not forgotten', async () => {
    const clean = await cleanRun();
    let thrown = false;
    let armed = false;
    const forgotten: string[] = [];
    const h = faultHarness({
      fallbackOrder: FALLBACK_ORDER,
      forgetBackend: (name) => void forgotten.push(name),
      // The step after the fault is armed fails, as an allocation that finds no memory would.
      yieldToEvents: () =>
        new Promise((resolve, reject) =>
          setImmediate(() => {
            if (armed && !thrown) {
              thrown = true;
              reject(new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded'));
            } else resolve();
          }),
        ),
    });
    h.send({ type: 'start', run: { kind: 'new', config: tinyConfig(40, 2) }, backend: 'wasm' });
    await h.next('curvePoints', (e) => e.points[0] === 1);
    armed = true;
    const fell = await h.next('fellBack');
    expect(fell).toMatchObject({ from: 'wasm', round: 1, info: { backend: 'webgl' } });
    expect(fell.reason).toContain('Maximum memory size exceeded');
    await h.next('state', (e) => e.state === 'done');
    expect(forgotten).toEqual([]); // wasm is not lost for good: only a device loss forgets a backend
    expect(
      h.events.flatMap((e) => (e.type === 'roundCompleted' ? [science(e.summary)] : [])),
    ).toEqual(clean);
  });

  it('when no backend is left, the run fails with every reason, and keeps the rounds it completed', async () => {
    let rounds = 0;
    const h = faultHarness({
      fallbackOrder: FALLBACK_ORDER,
      initBackend: async (choice, base) => {
        if (choice !== 'cpu' || rounds > 0) throw new Error(`${choice} is broken`);
        return fakeBackends(choice, base);
      },
      // cpu trains round 0, then fails in round 1; every other backend refuses to start.
      yieldToEvents: () =>
        new Promise((resolve, reject) =>
          setImmediate(() => (rounds > 0 ? reject(new Error('cpu failed too')) : resolve())),
        ),
    });
    h.send({ type: 'start', run: { kind: 'new', config: tinyConfig(20, 1) }, backend: 'cpu' });
    const started = await h.next('runStarted');
    await h.next('runSaved', (e) => e.run.roundsDone === 1);
    rounds = 1;
    const failed = await h.next('state', (e) => e.state === 'failed');
    expect(failed.detail).toBe(
      'no backend is left to go on with (cpu failed too; gpu: gpu is broken; webgpu: webgpu is broken; simd: simd is broken; wasm: wasm is broken; webgl: webgl is broken)',
    );
    expect(
      h.events.some(
        (e) => e.type === 'error' && e.message.startsWith('the run failed: no backend is left'),
      ),
    ).toBe(true);
    const meta = await (await h.db).get(started.runId!);
    expect(meta).toMatchObject({ status: 'stopped', roundsDone: 1, continuable: true });
  });

  it('twenty stops and starts in a row leave the tensor count where it was', async () => {
    const h = faultHarness();
    h.send({ type: 'setBackend', backend: 'cpu' });
    await h.next('ready');
    const baseline = tf.memory().numTensors;
    const counts: number[] = [];
    for (let i = 0; i < 20; i++) {
      h.send({ type: 'start', run: { kind: 'new', config: tinyConfig(2000, 2) }, backend: 'cpu' });
      await h.next('curvePoints');
      h.send({ type: 'stop' });
      await h.next('state', (e) => e.state === 'stopped');
      counts.push(tf.memory().numTensors);
    }
    expect(counts).toEqual(Array(20).fill(baseline));
  });

  it('a 30-round run holds the same number of tensors at the start of every round, and none after', async () => {
    const baseline = tf.memory().numTensors;
    const atRoundStart: number[] = [];
    // No history: the run's saves would only slow this down (fake-indexeddb), and hold no tensors.
    const h = faultHarness({ openHistory: async () => null }, (e) => {
      if (e.type === 'roundStarted') atRoundStart.push(tf.memory().numTensors);
    });
    h.send({ type: 'start', run: { kind: 'new', config: tinyConfig(10, 30, []) }, backend: 'cpu' });
    await h.next('state', (e) => e.state === 'done', 120_000);
    expect(atRoundStart).toHaveLength(31);
    expect(new Set(atRoundStart)).toEqual(new Set([atRoundStart[0]]));
    expect(tf.memory().numTensors).toBe(baseline);
  }, 120_000);
});
