/**
 * The worker protocol, driven in Node exactly as lab.worker.ts drives it: commands in as plain
 * objects, events out. Real engine, real MNIST (a small slice), tfjs cpu backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeKernels } from '../../cli/node-kernels';
import { loadMnistFromDisk } from '../../cli/node-mnist';
import { DEFAULT_CONFIG, type ExperimentConfig, mergeConfig } from '../engine/config';
import { initialParams } from '../engine/init';
import { tfCompute } from '../engine/tf-compute';
import { fingerprint } from '../engine/rng';
import { decodeTicket, encodeTicket } from '../formats/ticket';
import { ticketOfRound } from '../formats/ticket-run';
import { RunDb } from '../history/run-db';
import { FLUSH_MS, type HandlerDeps, LabHandler } from './handler';
import type { RunStore } from './run-plan';
import { CURVE_STRIDE, type Command, type LabEvent } from './protocol';

const tiny = (iterations: number, rounds = 1): ExperimentConfig =>
  mergeConfig(DEFAULT_CONFIG, {
    data: { trainSize: 600, validationSize: 200, testSize: 200 },
    model: { layers: [784, 32, 16, 10] },
    training: { iterations, evalEvery: 10 },
    pruning: { rounds, controls: ['reinit', 'rearrange'] },
  });

interface Harness {
  /** The run history the worker writes to (fake-indexeddb: one database per factory). */
  db: Promise<RunDb>;
  send(cmd: Command): void;
  events: { at: number; e: LabEvent }[];
  next(pred: (e: LabEvent) => boolean, timeoutMs?: number): Promise<{ at: number; e: LabEvent }>;
}

/** Events are consumed in order: `next` returns the first matching event after the last one it returned. */
/** Web Locks as the browser grants them, shared by the harnesses of one test ("tabs"). */
type Locks = Set<string>;
const lockIn = (held: Locks) => async (name: string) => {
  if (held.has(name)) throw new Error('this run is being trained in another tab');
  held.add(name);
  return () => void held.delete(name);
};

const onCpu: HandlerDeps['initBackend'] = async () => {
  await tf.setBackend('cpu');
  return { info: { backend: 'cpu', adapter: 'JavaScript on the CPU', reason: 'test' }, compute: tfCompute };
};

function harness(factory: IDBFactory = new IDBFactory(), locks?: Locks, wrap: (db: RunDb) => HandlerDeps['openHistory'] = (db) => async () => db, initBackend = onCpu): Harness {
  const db = RunDb.open(factory);
  const events: { at: number; e: LabEvent }[] = [];
  let cursor = 0;
  let wake: (() => void) | null = null;
  const handler = new LabHandler({
    post: (e) => {
      events.push({ at: performance.now(), e: structuredClone(e) });
      wake?.();
    },
    initBackend,
    loadData: async (_base, onProgress) => {
      onProgress(5, 10, false);
      return loadMnistFromDisk();
    },
    now: () => performance.now(),
    yieldToEvents: () => new Promise((r) => setImmediate(r)),
    openHistory: () => db.then((d) => wrap(d)()),
    ...(locks ? { lock: lockIn(locks) } : {}),
  });
  return {
    db,
    events,
    send: (cmd) => handler.handle(structuredClone(cmd)),
    next: async (pred, timeoutMs = 30_000) => {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        for (; cursor < events.length; cursor++) {
          if (pred(events[cursor]!.e)) return events[cursor++]!;
        }
        if (performance.now() > deadline) throw new Error(`timed out waiting; last events: ${events.slice(-3).map((x) => x.e.type).join(', ')}`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 50);
        });
      }
    },
  };
}

const isState = (state: string) => (e: LabEvent) => e.type === 'state' && e.state === state;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('LabHandler', () => {
  it('streams a run: ready, data, θ0, batched curve points, round results, histograms, done', async () => {
    const h = harness();
    h.send({ type: 'init', assetBase: 'http://localhost/' });
    h.send({ type: 'start', config: tiny(30, 2), backend: 'cpu' });
    await h.next(isState('done'), 60_000);
    const types = h.events.map((x) => x.e.type);
    expect(types.slice(0, 2)).toEqual(['state', 'ready']);
    expect(types).toContain('dataProgress');

    const started = h.events.find((x) => x.e.type === 'runStarted')!.e as Extract<LabEvent, { type: 'runStarted' }>;
    const nodeTheta0 = fingerprint(initialParams([784, 32, 16, 10], 0).weights);
    expect(started.theta0Fingerprint).toBe(nodeTheta0);
    expect(started.theta0DeviceFingerprint).toBe(nodeTheta0);

    // Every evaluation of every variant arrives exactly once: rounds 0 (ticket) + 2 × (3 variants), 4 evals each.
    const batches = h.events.filter((x) => x.e.type === 'curvePoints');
    const points = batches.reduce((n, x) => n + (x.e as Extract<LabEvent, { type: 'curvePoints' }>).points.length / CURVE_STRIDE, 0);
    expect(points).toBe((1 + 2 * 3) * 4);
    for (const b of batches) expect((b.e as Extract<LabEvent, { type: 'curvePoints' }>).points.length % CURVE_STRIDE).toBe(0);

    // At most 20 messages a second: batches are FLUSH_MS apart, except the flushes that end a round.
    const gaps = batches.slice(1).map((b, i) => b.at - batches[i]!.at);
    const quick = gaps.filter((g) => g < FLUSH_MS - 5).length;
    expect(quick).toBeLessThanOrEqual(3);

    const completed = h.events.filter((x) => x.e.type === 'roundCompleted').map((x) => x.e as Extract<LabEvent, { type: 'roundCompleted' }>);
    expect(completed.map((c) => c.summary.round)).toEqual([0, 1, 2]);
    expect(completed[2]!.summary.variants.map((v) => v.variant)).toEqual(['ticket', 'reinit', 'rearrange']);
    expect(completed[1]!.summary.remaining).toBeLessThan(1);

    const hist = h.events.filter((x) => x.e.type === 'histograms').map((x) => x.e as Extract<LabEvent, { type: 'histograms' }>);
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
      const h = harness(undefined, undefined, undefined, async () => ({ info: { backend: 'simd', adapter: kernels.name, reason: 'test' }, compute: kernels }));
      h.send({ type: 'start', config: tiny(30, 2), backend: 'simd' });
      const started = (await h.next((e) => e.type === 'runStarted')).e as Extract<LabEvent, { type: 'runStarted' }>;
      expect(started.theta0DeviceFingerprint).toBe(fingerprint(initialParams([784, 32, 16, 10], 0).weights));
      await h.next(isState('done'), 60_000);
      const completed = h.events.filter((x) => x.e.type === 'roundCompleted').map((x) => (x.e as Extract<LabEvent, { type: 'roundCompleted' }>).summary);
      expect(completed.map((c) => c.round)).toEqual([0, 1, 2]);
      for (const c of completed) for (const v of c.variants) expect(v.earlyStopTestAccuracy).toBeGreaterThan(0.3);

      h.send({ type: 'start', config: tiny(100_000, 0), backend: 'simd' });
      await h.next((e) => e.type === 'curvePoints' && e.progress !== null && e.progress.iteration > 20);
      const t0 = performance.now();
      h.send({ type: 'pause' });
      expect((await h.next(isState('paused'))).at - t0).toBeLessThan(200);
      h.send({ type: 'stop' });
      await h.next(isState('stopped'));
      // The kernels' heap is back where it was before the runs: each round and run gave its bytes back.
      expect(kernels.arena.used).toBe(0);
    } finally {
      kernels.dispose();
    }
  });

  it('pauses and stops within 200 ms, and holds while paused', async () => {
    const h = harness();
    h.send({ type: 'start', config: tiny(100_000, 0), backend: 'cpu' });
    await h.next((e) => e.type === 'curvePoints' && e.progress !== null && e.progress.iteration > 20);
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
    h.send({ type: 'start', config: tiny(10, 0), backend: 'cpu' });
    await h.next(isState('done'));
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('a pause sent while MNIST loads holds the run at its first checkpoint, before any curve point', async () => {
    const h = harness();
    h.send({ type: 'start', config: tiny(10, 0), backend: 'cpu' });
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
    h.send({ type: 'start', config: tiny(10, 2), backend: 'cpu', pauseAfterRound: true });
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
    h.send({ type: 'start', config: bad, backend: 'cpu' });
    const err = await h.next((e) => e.type === 'error');
    expect((err.e as Extract<LabEvent, { type: 'error' }>).message).toMatch(/training\.learningRate/);
    await h.next(isState('failed'));

    h.send({ type: 'start', config: tiny(100_000, 0), backend: 'cpu' });
    await h.next(isState('running'));
    h.send({ type: 'start', config: tiny(10), backend: 'cpu' });
    const second = await h.next((e) => e.type === 'error');
    expect((second.e as Extract<LabEvent, { type: 'error' }>).message).toMatch(/already in progress/);
    h.send({ type: 'stop' });
    await h.next(isState('stopped'));
    h.send({ type: 'step' });
    expect((await h.next((e) => e.type === 'error')).e).toMatchObject({ message: expect.stringMatching(/start a run first/) });
    // A stop with no run in progress is still answered (the page's hard-stop timer waits for it).
    h.send({ type: 'stop' });
    expect((await h.next((e) => e.type === 'state')).e).toMatchObject({ state: 'stopped' });
  });
});

type Ev<T extends LabEvent['type']> = Extract<LabEvent, { type: T }>;
const of = <T extends LabEvent['type']>(h: Harness, type: T) => h.events.filter((x) => x.e.type === type).map((x) => x.e as Ev<T>);
/** What must match between two runs of the same rounds: everything but time. */
const science = (summaries: Ev<'roundCompleted'>[]) => summaries.map(({ summary: { wallMs: _w, examplesPerSecond: _e, ...rest } }) => rest);
const curves = (h: Harness) => of(h, 'curvePoints').flatMap((c) => [...c.points]);

describe('LabHandler and the run history (issue 4)', () => {
  it('saves every completed round as it completes, and marks the run done', async () => {
    const h = harness();
    h.send({ type: 'start', config: tiny(20, 2), backend: 'cpu', name: 'saved run' });
    await h.next(isState('done'), 60_000);
    const started = of(h, 'runStarted')[0]!;
    expect(started.firstRound).toBe(0);
    const saved = of(h, 'runSaved').map((e) => e.run);
    expect(saved.map((r) => [r.roundsDone, r.status, r.resumable])).toEqual([[1, 'running', true], [2, 'running', true], [3, 'done', false]]);
    expect(saved[0]!).toMatchObject({ id: started.runId, name: 'saved run', origin: 'lab', backend: 'cpu · JavaScript on the CPU' });
    const db = await h.db;
    const stored = await db.rounds(started.runId!);
    expect(stored.map((r) => r.round)).toEqual([0, 1, 2]);
    expect(stored.map((r) => r.variants.map((v) => v.earlyStopTestAccuracy))).toEqual(of(h, 'roundCompleted').map((e) => e.summary.variants.map((v) => v.earlyStopTestAccuracy)));
    // The masks kept with round 2 are its ticket's: as many survivors as its P_m says.
    const masks = (await db.roundMasks(started.runId!, 2))!;
    const kept = masks.reduce((n, m) => n + m.reduce((a, b) => a + b, 0), 0);
    const total = masks.reduce((n, m) => n + m.length, 0);
    expect(kept / total).toBeCloseTo(stored[2]!.remaining, 12);
    expect(await db.theta0(started.runId!)).toEqual(initialParams(tiny(20).model.layers, 0));
  });

  it('a run stopped after round 0 continues, in a new worker, with the same results as one never stopped', async () => {
    const config = tiny(20, 2);
    const whole = harness();
    whole.send({ type: 'start', config, backend: 'cpu' });
    await whole.next(isState('done'), 60_000);

    const factory = new IDBFactory();
    const first = harness(factory);
    first.send({ type: 'start', config, backend: 'cpu', pauseAfterRound: true });
    await first.next(isState('paused'), 60_000);
    first.send({ type: 'stop' });
    await first.next(isState('stopped'));
    const stopped = of(first, 'runSaved').at(-1)!.run;
    expect(stopped).toMatchObject({ status: 'stopped', roundsDone: 1, resumable: true });

    // A reload: a new worker, the same database; here it also runs on another device.
    const elsewhere: HandlerDeps['initBackend'] = async (...args) => ({ ...(await onCpu(...args)), info: { backend: 'cpu', adapter: 'another device', reason: 'test' } });
    const second = harness(factory, undefined, undefined, elsewhere);
    second.send({ type: 'continueRun', runId: stopped.id, backend: 'cpu' });
    await second.next(isState('done'), 60_000);
    expect(of(second, 'runStarted')[0]).toMatchObject({ runId: stopped.id, firstRound: 1 });
    expect(science([...of(first, 'roundCompleted'), ...of(second, 'roundCompleted')])).toEqual(science(of(whole, 'roundCompleted')));
    expect([...curves(first), ...curves(second)]).toEqual(curves(whole));
    const db = await second.db;
    expect((await db.get(stopped.id))).toMatchObject({ status: 'done', roundsDone: 3, resumable: false, backend: 'cpu · JavaScript on the CPU → cpu · another device' });
    expect((await db.rounds(stopped.id)).map((r) => r.round)).toEqual([0, 1, 2]);
  });

  it('refuses to continue a run that is not stored, or has nothing left to train, and writes nothing', async () => {
    const h = harness();
    h.send({ type: 'continueRun', runId: 'nope', backend: 'cpu' });
    expect((await h.next((e) => e.type === 'error')).e).toMatchObject({ message: expect.stringMatching(/no longer in the history/) });
    await h.next(isState('failed'));
    h.send({ type: 'start', config: tiny(10, 0), backend: 'cpu', name: 'finished' });
    await h.next(isState('done'));
    const id = of(h, 'runStarted').at(-1)!.runId!;
    h.send({ type: 'continueRun', runId: id, backend: 'cpu' });
    expect((await h.next((e) => e.type === 'error')).e).toMatchObject({ message: '"finished" has no round left to train' });
    expect((await (await h.db).list()).map((r) => [r.name, r.status])).toEqual([['finished', 'done']]);
  });

  it('an exported ticket, imported and trained, retraces its round of the run it came from', async () => {
    const source = harness();
    source.send({ type: 'start', config: tiny(20, 2), backend: 'cpu' });
    await source.next(isState('done'), 60_000);
    const db = await source.db;
    const id = of(source, 'runStarted')[0]!.runId!;
    const meta = (await db.get(id))!;
    const round2 = (await db.rounds(id))[2]!;
    const file = encodeTicket(ticketOfRound({ config: meta.config, result: round2, masks: (await db.roundMasks(id, 2))!, theta0: (await db.theta0(id))!, rewindTo: null, createdBy: 'test' }));

    const device = harness();
    device.send({ type: 'trainTicket', ticket: decodeTicket(file), controls: ['reinit', 'rearrange'], backend: 'cpu', name: 'imported' });
    await device.next(isState('done'), 60_000);
    expect(of(device, 'runStarted')[0]).toMatchObject({ firstRound: 2 });
    const trained = of(device, 'roundCompleted');
    expect(trained.map((e) => e.summary.round)).toEqual([2]);
    // Same backend, same θ0 and data order: the same round, point for point.
    expect(science(trained)).toEqual(science(of(source, 'roundCompleted').slice(2)));
    expect(of(device, 'runSaved').at(-1)!.run).toMatchObject({ origin: 'ticket', name: 'imported', firstRound: 2, roundsDone: 1, status: 'done' });
  });

  it('a run stopped before its first round completes leaves nothing in the history', async () => {
    const h = harness();
    h.send({ type: 'start', config: tiny(100_000, 1), backend: 'cpu' });
    await h.next((e) => e.type === 'curvePoints');
    h.send({ type: 'stop' });
    await h.next(isState('stopped'));
    expect(await (await h.db).list()).toEqual([]);
  });

  it('a second tab resuming a run the first tab trains is refused, and writes nothing', async () => {
    const factory = new IDBFactory();
    const locks: Locks = new Set();
    const a = harness(factory, locks);
    a.send({ type: 'start', config: tiny(20, 3), backend: 'cpu', pauseAfterRound: true });
    await a.next(isState('paused'), 60_000);
    const id = of(a, 'runStarted')[0]!.runId!;
    const b = harness(factory, locks);
    b.send({ type: 'continueRun', runId: id, backend: 'cpu' });
    expect((await b.next((e) => e.type === 'error')).e).toMatchObject({ message: 'this run is being trained in another tab' });
    await b.next(isState('failed'));
    expect(await (await a.db).get(id)).toMatchObject({ status: 'running', roundsDone: 1 });
    a.send({ type: 'resume' });
    await a.next(isState('done'), 60_000);
    expect(await (await a.db).get(id)).toMatchObject({ status: 'done', roundsDone: 4 });
    expect(locks.size).toBe(0);
  });

  it('a round that cannot be saved holds the run; Resume saves it and goes on', async () => {
    let failures = 1;
    const h = harness(new IDBFactory(), undefined, (db) => async (): Promise<RunStore> => ({
      createRun: (r) => db.createRun(r),
      saveRound: (...args) => (failures-- > 0 ? Promise.reject(new Error('QuotaExceededError')) : db.saveRound(...args)),
      setStatus: (...args) => db.setStatus(...args),
      trainedOn: (...args) => db.trainedOn(...args),
      delete: (id) => db.delete(id),
      get: (id) => db.get(id),
      resumeState: (id) => db.resumeState(id),
      theta0: (id) => db.theta0(id),
    }));
    h.send({ type: 'start', config: tiny(20, 1), backend: 'cpu' });
    expect((await h.next((e) => e.type === 'error')).e).toMatchObject({ message: expect.stringMatching(/^round 0 could not be saved to the run history \(QuotaExceededError\): the run holds/) });
    await h.next((e) => e.type === 'state' && e.state === 'paused' && e.detail === 'round 0 not saved');
    h.send({ type: 'resume' });
    await h.next(isState('done'), 60_000);
    const id = of(h, 'runStarted')[0]!.runId!;
    expect((await (await h.db).rounds(id)).map((r) => r.round)).toEqual([0, 1]);
  });

  it('still trains when the history cannot be opened, and says that runs will not be saved', async () => {
    const h = harness();
    // Swap in a history that fails to open, as IndexedDB does in some private windows.
    const failing = new LabHandler({ post: (e) => h.events.push({ at: 0, e }), initBackend: async () => ({ info: { backend: 'cpu', adapter: 'cpu', reason: 'test' }, compute: tfCompute }), loadData: async () => loadMnistFromDisk(), now: () => performance.now(), yieldToEvents: () => new Promise((r) => setImmediate(r)), openHistory: () => Promise.reject(new Error('blocked')) });
    failing.handle({ type: 'start', config: tiny(10, 0), backend: 'cpu' });
    await h.next(isState('done'));
    expect(of(h, 'error')[0]!.message).toBe('runs will not be saved: the run history could not be opened (blocked)');
    expect(of(h, 'runStarted')[0]!.runId).toBeNull();
    expect(of(h, 'roundCompleted')).toHaveLength(1);
  });
});
