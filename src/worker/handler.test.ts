/**
 * The worker protocol, driven in Node exactly as lab.worker.ts drives it: commands in as plain
 * objects, events out. Real engine, real MNIST (a small slice), tfjs cpu backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeKernels } from '../node-host/node-kernels';
import { initialParams } from '../engine/init';
import { fingerprint } from '../engine/rng';
import { FLUSH_MS } from './curve-stream';
import { harness, isState, tiny } from './handler.testing';
import { CURVE_STRIDE } from './curve-points';
import type { LabEvent } from './protocol';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('LabHandler', () => {
  it('streams a run: ready, data, θ0, batched curve points, round results, histograms, done', async () => {
    const h = harness();
    h.send({ type: 'init', assetBase: 'http://localhost/' });
    h.send({ type: 'start', run: { kind: 'new', config: tiny(30, 2) }, backend: 'cpu' });
    await h.next(isState('done'), 60_000);
    const types = h.events.map((x) => x.e.type);
    expect(types.slice(0, 2)).toEqual(['state', 'ready']);
    expect(types).toContain('dataProgress');

    const started = h.events.find((x) => x.e.type === 'runStarted')!.e as Extract<
      LabEvent,
      { type: 'runStarted' }
    >;
    const nodeTheta0 = fingerprint(initialParams([784, 32, 16, 10], 0).weights);
    expect(started.theta0Fingerprint).toBe(nodeTheta0);
    expect(started.theta0DeviceFingerprint).toBe(nodeTheta0);

    // Every evaluation of every variant arrives exactly once: rounds 0 (ticket) + 2 × (3 variants),
    // 4 evals each.
    const batches = h.events.filter((x) => x.e.type === 'curvePoints');
    const points = batches.reduce(
      (n, x) =>
        n + (x.e as Extract<LabEvent, { type: 'curvePoints' }>).points.length / CURVE_STRIDE,
      0,
    );
    expect(points).toBe((1 + 2 * 3) * 4);
    for (const b of batches)
      expect((b.e as Extract<LabEvent, { type: 'curvePoints' }>).points.length % CURVE_STRIDE).toBe(
        0,
      );

    // At most 20 messages a second: batches are FLUSH_MS apart, except the flushes that end a
    // round.
    const gaps = batches.slice(1).map((b, i) => b.at - batches[i]!.at);
    const quick = gaps.filter((g) => g < FLUSH_MS - 5).length;
    expect(quick).toBeLessThanOrEqual(3);

    const completed = h.events
      .filter((x) => x.e.type === 'roundCompleted')
      .map((x) => x.e as Extract<LabEvent, { type: 'roundCompleted' }>);
    expect(completed.map((c) => c.summary.round)).toEqual([0, 1, 2]);
    expect(completed[2]!.summary.variants.map((v) => v.variant)).toEqual([
      'ticket',
      'reinit',
      'rearrange',
    ]);
    expect(completed[1]!.summary.remaining).toBeLessThan(1);

    const hist = h.events
      .filter((x) => x.e.type === 'histograms')
      .map((x) => x.e as Extract<LabEvent, { type: 'histograms' }>);
    expect(hist).toHaveLength(3);
    const layer0 = hist[2]!.variants[0]!.layers[0]!;
    expect(layer0.surviving).toBeInstanceOf(Uint32Array);
    expect(layer0.all.reduce((a, b) => a + b, 0)).toBe(784 * 32);
    expect(hist[2]!.variants[0]!.pixelSurvivors).toHaveLength(784);

    // The round's completion comes after all of its points.
    const lastPoint = h.events.lastIndexOf(batches[batches.length - 1]!);
    expect(lastPoint).toBeLessThan(h.events.findIndex((x) => x.e === completed[2]));
    expect(tf.getBackend()).toBe('cpu');
  });

  it('runs on the lab’s kernels (simd, two threads): θ0 through their memory, every round, a pause within 200 ms', async () => {
    const kernels = await nodeKernels(2);
    try {
      const h = harness(undefined, undefined, undefined, async () => ({
        info: { backend: 'simd', adapter: kernels.name, reason: 'test' },
        compute: kernels,
      }));
      h.send({ type: 'start', run: { kind: 'new', config: tiny(30, 2) }, backend: 'simd' });
      const started = (await h.next((e) => e.type === 'runStarted')).e as Extract<
        LabEvent,
        { type: 'runStarted' }
      >;
      expect(started.theta0DeviceFingerprint).toBe(
        fingerprint(initialParams([784, 32, 16, 10], 0).weights),
      );
      await h.next(isState('done'), 60_000);
      const completed = h.events
        .filter((x) => x.e.type === 'roundCompleted')
        .map((x) => (x.e as Extract<LabEvent, { type: 'roundCompleted' }>).summary);
      expect(completed.map((c) => c.round)).toEqual([0, 1, 2]);
      for (const c of completed)
        for (const v of c.variants) expect(v.earlyStop.testAccuracy).toBeGreaterThan(0.3);

      h.send({ type: 'start', run: { kind: 'new', config: tiny(100_000, 0) }, backend: 'simd' });
      await h.next(
        (e) => e.type === 'curvePoints' && e.progress !== null && e.progress.iteration > 20,
      );
      const t0 = performance.now();
      h.send({ type: 'pause' });
      expect((await h.next(isState('paused'))).at - t0).toBeLessThan(200);
      h.send({ type: 'stop' });
      await h.next(isState('stopped'));
      // The kernels' heap is back where it was before the runs: each round and run gave its bytes
      // back.
      expect(kernels.arena.used).toBe(0);
    } finally {
      kernels.dispose();
    }
  });

  it('pauses and stops within 200 ms, and holds while paused', async () => {
    const h = harness();
    h.send({ type: 'start', run: { kind: 'new', config: tiny(100_000, 0) }, backend: 'cpu' });
    await h.next(
      (e) => e.type === 'curvePoints' && e.progress !== null && e.progress.iteration > 20,
    );
    // 'paused' is posted when the loop really holds, so this times the pause itself.
    const t0 = performance.now();
    h.send({ type: 'pause' });
    const paused = await h.next(isState('paused'));
    expect(paused.at - t0).toBeLessThan(200);
    const lastBatch = h.events.filter((x) => x.e.type === 'curvePoints').at(-1)!;
    expect(lastBatch.at - t0).toBeLessThan(200);
    await new Promise((r) => setTimeout(r, 100)); // let a step in flight finish
    const seen = h.events.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(h.events.slice(seen).filter((x) => x.e.type === 'curvePoints')).toEqual([]);

    h.send({ type: 'resume' });
    await h.next(isState('running'));
    await h.next((e) => e.type === 'curvePoints' && e.progress !== null);
    const t1 = performance.now();
    h.send({ type: 'stop' });
    const stopped = await h.next(isState('stopped'));
    expect(stopped.at - t1).toBeLessThan(200);
    const tensors = tf.memory().numTensors;
    h.send({ type: 'start', run: { kind: 'new', config: tiny(10, 0) }, backend: 'cpu' });
    await h.next(isState('done'));
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('a pause sent while MNIST loads holds the run at its first checkpoint, before any curve point', async () => {
    const h = harness();
    h.send({ type: 'start', run: { kind: 'new', config: tiny(10, 0) }, backend: 'cpu' });
    h.send({ type: 'pause' });
    await h.next((e) => e.type === 'runStarted');
    expect((await h.next((e) => e.type === 'state')).e).toMatchObject({ state: 'running' });
    expect((await h.next((e) => e.type === 'state')).e).toMatchObject({ state: 'paused' });
    await new Promise((r) => setTimeout(r, 200));
    expect(h.events.filter((x) => x.e.type === 'curvePoints')).toEqual([]);
    h.send({ type: 'resume' });
    await h.next(isState('done'));
  });

  it('steps one round at a time', async () => {
    const h = harness();
    h.send({
      type: 'start',
      run: { kind: 'new', config: tiny(10, 2) },
      backend: 'cpu',
      pauseAfterRound: true,
    });
    await h.next(isState('paused'));
    expect(h.events.filter((x) => x.e.type === 'roundCompleted')).toHaveLength(1);
    h.send({ type: 'step' });
    await h.next((e) => e.type === 'state' && e.state === 'paused' && e.detail === 'after round 1');
    expect(h.events.filter((x) => x.e.type === 'roundCompleted')).toHaveLength(2);
    h.send({ type: 'resume' });
    await h.next(isState('done'));
    expect(h.events.filter((x) => x.e.type === 'roundCompleted')).toHaveLength(3);
  });

  it('rejects a bad config with a message naming the field, and a second start while running', async () => {
    const h = harness();
    const bad = tiny(10);
    bad.training.learningRate = Number.NaN;
    h.send({ type: 'start', run: { kind: 'new', config: bad }, backend: 'cpu' });
    const err = await h.next((e) => e.type === 'error');
    expect((err.e as Extract<LabEvent, { type: 'error' }>).message).toMatch(
      /training\.learningRate/,
    );
    await h.next(isState('failed'));

    h.send({ type: 'start', run: { kind: 'new', config: tiny(100_000, 0) }, backend: 'cpu' });
    await h.next(isState('running'));
    h.send({ type: 'start', run: { kind: 'new', config: tiny(10) }, backend: 'cpu' });
    const second = await h.next((e) => e.type === 'error');
    expect((second.e as Extract<LabEvent, { type: 'error' }>).message).toMatch(
      /already in progress/,
    );
    h.send({ type: 'stop' });
    await h.next(isState('stopped'));
    h.send({ type: 'step' });
    expect((await h.next((e) => e.type === 'error')).e).toMatchObject({
      message: expect.stringMatching(/start a run first/),
    });
    // A stop with no run in progress is still answered (the page's hard-stop timer waits for it).
    h.send({ type: 'stop' });
    expect((await h.next((e) => e.type === 'state')).e).toMatchObject({ state: 'stopped' });
  });

  it('measures the device between runs (issue 15), and a run waits for the measurement', async () => {
    const h = harness();
    h.send({ type: 'calibrate', backend: 'auto' });
    // The backend has started and the timing begun: a run started now waits for it.
    await h.next((e) => e.type === 'ready');
    h.send({ type: 'start', run: { kind: 'new', config: tiny(10, 0) }, backend: 'cpu' });
    const speed = (await h.next((e) => e.type === 'speed')).e as Extract<
      LabEvent,
      { type: 'speed' }
    >;
    expect(speed.speed).toMatchObject({ choice: 'auto', backend: 'cpu', batchSize: 60 });
    expect(speed.speed.trainPerSecond).toBeGreaterThan(0);
    expect(speed.speed.evalPerSecond).toBeGreaterThan(0);
    // The run began only after the timing: its θ0 comes after the speed.
    const types = () => h.events.map((x) => x.e.type);
    await h.next(isState('done'));
    expect(types().indexOf('runStarted')).toBeGreaterThan(types().indexOf('speed'));
    // While a run trains it measures itself: a calibration then does nothing.
    h.send({ type: 'start', run: { kind: 'new', config: tiny(100_000, 0) }, backend: 'cpu' });
    await h.next(isState('running'));
    h.send({ type: 'calibrate', backend: 'cpu' });
    await new Promise((r) => setTimeout(r, 300));
    h.send({ type: 'stop' });
    await h.next(isState('stopped'));
    expect(types().filter((t) => t === 'speed')).toHaveLength(1);
  });
});
