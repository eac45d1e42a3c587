/**
 * A LabHandler driven in Node as lab.worker.ts drives it, for the fault tests (issue 6): every
 * platform piece can be replaced, so a test can make a backend refuse to start, lose its
 * device, or throw in the middle of a round. Real engine, real MNIST, tfjs cpu underneath.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { loadMnistFromDisk } from '../node-host/node-mnist';
import { DEFAULT_CONFIG, type ExperimentConfig, mergeConfig } from '../engine/config';
import { tfCompute } from '../engine/tf-compute';
import { RunDb } from '../history/run-db';
import { type HandlerDeps, LabHandler } from './handler';
import type { BackendName, Command, LabEvent } from './protocol';

export const tinyConfig = (
  iterations: number,
  rounds = 1,
  controls: ExperimentConfig['pruning']['controls'] = ['reinit'],
): ExperimentConfig =>
  mergeConfig(DEFAULT_CONFIG, {
    data: { trainSize: 600, validationSize: 200, testSize: 200 },
    model: { layers: [784, 32, 16, 10] },
    training: { iterations, evalEvery: 10 },
    pruning: { rounds, controls },
  });

export interface FaultHarness {
  db: Promise<RunDb>;
  handler: LabHandler;
  events: LabEvent[];
  send(cmd: Command): void;
  /** The first event after the last one returned that matches. */
  next<T extends LabEvent['type']>(
    type: T,
    pred?: (e: Extract<LabEvent, { type: T }>) => boolean,
    timeoutMs?: number,
  ): Promise<Extract<LabEvent, { type: T }>>;
  /** Backends the handler was asked to start, in order (what `initBackend` saw). */
  started: string[];
}

/**
 * Every backend name "starts" on tfjs cpu and reports the name it was asked for, so fallbacks
 * can be followed by name while the numbers stay those of one real backend.
 */
export const fakeBackends: HandlerDeps['initBackend'] = async (choice) => {
  await tf.setBackend('cpu');
  const backend: BackendName = choice === 'auto' ? 'cpu' : choice;
  return { info: { backend, adapter: `fake ${backend}`, reason: 'test' }, compute: tfCompute };
};

/**
 * `onPost` sees each event as it is posted, before anything else runs (to sample tf.memory()
 * there).
 */
export function faultHarness(
  overrides: Partial<HandlerDeps> = {},
  onPost?: (e: LabEvent) => void,
): FaultHarness {
  const db = RunDb.open(new IDBFactory());
  const events: LabEvent[] = [];
  const started: string[] = [];
  let cursor = 0;
  let wake: (() => void) | null = null;
  const initBackend = overrides.initBackend ?? fakeBackends;
  const handler = new LabHandler({
    post: (e) => {
      onPost?.(e);
      events.push(structuredClone(e));
      wake?.();
    },
    loadData: async () => loadMnistFromDisk(),
    now: () => performance.now(),
    yieldToEvents: () => new Promise((r) => setImmediate(r)),
    openHistory: () => db,
    ...overrides,
    initBackend: (choice, base) => {
      started.push(choice);
      return initBackend(choice, base);
    },
  });
  return {
    db,
    handler,
    events,
    started,
    send: (cmd) => handler.handle(structuredClone(cmd)),
    next: async (type, pred = () => true, timeoutMs = 60_000) => {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        for (; cursor < events.length; cursor++) {
          const e = events[cursor]!;
          if (e.type === type && pred(e as never)) return events[cursor++] as never;
        }
        if (performance.now() > deadline)
          throw new Error(
            `timed out waiting for ${type}; last events: ${events
              .slice(-4)
              .map((x) => x.type)
              .join(', ')}`,
          );
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 50);
        });
      }
    },
  };
}

/** A promise and the hand that settles it: a device that is lost when the test says so. */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** The config of handler.test.ts and handler.history.test.ts: `tinyConfig` with both controls. */
export const tiny = (iterations: number, rounds = 1): ExperimentConfig =>
  tinyConfig(iterations, rounds, ['reinit', 'rearrange']);

export interface Harness {
  /** The run history the worker writes to (fake-indexeddb: one database per factory). */
  db: Promise<RunDb>;
  send(cmd: Command): void;
  events: { at: number; e: LabEvent }[];
  /**
   * Events are consumed in order: `next` returns the first matching event after the last one it
   * returned.
   */
  next(pred: (e: LabEvent) => boolean, timeoutMs?: number): Promise<{ at: number; e: LabEvent }>;
}

/** Web Locks as the browser grants them, shared by the harnesses of one test ("tabs"). */
export type Locks = Set<string>;
const lockIn = (held: Locks) => async (name: string) => {
  if (held.has(name)) throw new Error('this run is being trained in another tab');
  held.add(name);
  return () => void held.delete(name);
};

export const onCpu: HandlerDeps['initBackend'] = async () => {
  await tf.setBackend('cpu');
  return {
    info: { backend: 'cpu', adapter: 'JavaScript on the CPU', reason: 'test' },
    compute: tfCompute,
  };
};

/** A LabHandler as lab.worker.ts drives it, every event stamped with the time it was posted. */
export function harness(
  factory: IDBFactory = new IDBFactory(),
  locks?: Locks,
  wrap: (db: RunDb) => HandlerDeps['openHistory'] = (db) => async () => db,
  initBackend = onCpu,
): Harness {
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
        if (performance.now() > deadline)
          throw new Error(
            `timed out waiting; last events: ${events
              .slice(-3)
              .map((x) => x.e.type)
              .join(', ')}`,
          );
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 50);
        });
      }
    },
  };
}

export const isState = (state: string) => (e: LabEvent) => e.type === 'state' && e.state === state;
