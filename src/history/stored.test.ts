/**
 * The run history's records keep the shape the lab has written since issue 4 (schema version 1,
 * stored.ts): a history written record by record as the lab wrote it before issue 13 opens in
 * today's lab with nothing lost, under the lab's new names, and what today's lab writes is that
 * same shape, so an earlier build (another tab, a rollback) still reads it.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { ENGINE_VERSION } from '../engine/config';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, validateConfig } from '../engine/config';
import { packBits } from '../formats/bits';
import { DB_NAME, RunDb } from './run-db';
import { DB_VERSION } from './stored';

const curve = [
  { iteration: 0, trainLoss: 2.3, validationLoss: 2.3, validationAccuracy: 0.1, testAccuracy: 0.1 },
  {
    iteration: 10,
    trainLoss: 0.4,
    validationLoss: 0.3,
    validationAccuracy: 0.9,
    testAccuracy: 0.88,
  },
];

/** A round as version 1 stored it: the early stop in three flat fields. */
const roundV1 = (round: number) => ({
  runId: 'old',
  round,
  result: {
    round,
    remaining: 0.8 ** round,
    remainingByLayer: [0.8 ** round, 0.8 ** round, 0.9 ** round],
    variants: [
      {
        variant: 'ticket',
        remaining: 0.8 ** round,
        remainingByLayer: [0.8 ** round, 0.8 ** round, 0.9 ** round],
        curve,
        earlyStopIteration: 10,
        earlyStopTestAccuracy: 0.88 + round / 100,
        earlyStopValidationAccuracy: 0.9,
        finalTestAccuracy: 0.88,
        histograms: [],
        pixelSurvivors: [],
      },
    ],
    wallMs: 1000,
    examplesPerSecond: 5000,
  },
  masks: null,
  maskSizes: null,
});

const { trials: _trials, ...withoutTrials } = DEFAULT_CONFIG.training;

const nextMasks = [Uint8Array.of(1, 0, 1, 1, 0, 0, 1, 1, 1), Uint8Array.of(0, 1, 1)];

async function writeVersion1(factory: IDBFactory): Promise<void> {
  const req = factory.open(DB_NAME, 1);
  req.onupgradeneeded = () => {
    const db = req.result;
    db.createObjectStore('runs', { keyPath: 'id' });
    db.createObjectStore('rounds', { keyPath: ['runId', 'round'] });
    db.createObjectStore('states', { keyPath: 'runId' });
  };
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const tx = db.transaction(['runs', 'rounds', 'states'], 'readwrite');
  tx.objectStore('runs').put({
    id: 'old',
    name: 'trained before issue 13',
    createdAt: 1,
    updatedAt: 2,
    // Before trials (issue 14), a config had no `trials`.
    config: { ...DEFAULT_CONFIG, training: withoutTrials },
    backend: 'simd · kernels',
    status: 'stopped',
    origin: 'lab',
    firstRound: 0,
    roundsDone: 2,
    remaining: 0.8,
    bestAccuracy: 0.89,
    resumable: true,
  });
  tx.objectStore('states').put({
    runId: 'old',
    theta0: null,
    rewindTo: null,
    resume: {
      nextRound: 2,
      masks: nextMasks.map(packBits),
      sizes: nextMasks.map((m) => m.length),
      rewindTo: null,
      denseTrained: null,
    },
  });
  tx.objectStore('rounds').put(roundV1(0));
  tx.objectStore('rounds').put(roundV1(1));
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

/** Every record of a store, read raw, through a connection of its own. */
async function raw(factory: IDBFactory, store: string): Promise<Record<string, unknown>[]> {
  const conn = await new Promise<IDBDatabase>((resolve) => {
    const req = factory.open(DB_NAME);
    req.onsuccess = () => resolve(req.result);
  });
  try {
    expect(conn.version).toBe(1);
    return await new Promise((resolve) => {
      const req = conn.transaction(store).objectStore(store).getAll();
      req.onsuccess = () => resolve(req.result as Record<string, unknown>[]);
    });
  } finally {
    conn.close();
  }
}

describe('the run history as stored (schema version 1)', () => {
  it('written before issue 13, it opens with every run, round and continuation under the new names', async () => {
    const factory = new IDBFactory();
    await writeVersion1(factory);
    const db = await RunDb.open(factory);
    try {
      const [run] = await db.list();
      expect(run).toMatchObject({ id: 'old', roundsDone: 2, continuable: true });
      expect(run).not.toHaveProperty('resumable');
      // …and its config is a valid one-trial config, so the run can be continued.
      expect(run!.config).toEqual(DEFAULT_CONFIG);
      expect(validateConfig(run!.config).training.trials).toBe(1);
      const rounds = await db.rounds('old');
      expect(rounds.map((r) => r.variants[0]!.earlyStop)).toEqual([
        { iteration: 10, validationAccuracy: 0.9, testAccuracy: 0.88 },
        { iteration: 10, validationAccuracy: 0.9, testAccuracy: 0.89 },
      ]);
      expect(rounds[1]!.variants[0]).not.toHaveProperty('earlyStopIteration');
      expect(rounds[1]!.variants[0]!.curve).toEqual(curve);
      expect(await db.continuation('old')).toEqual({
        nextRound: 2,
        masks: nextMasks,
        rewindTo: null,
        denseTrained: null,
      });
      // Written on like any run: the last round lands beside the old ones, and the run is done.
      await db.saveRound('old', { ...rounds[1]!, round: 2 }, null, null);
      expect((await db.get('old'))!).toMatchObject({ status: 'done', continuable: false });
    } finally {
      db.close();
    }
  });

  it('written today, its records have the shape an earlier lab reads', async () => {
    const factory = new IDBFactory();
    await writeVersion1(factory);
    const before = {
      runs: await raw(factory, 'runs'),
      rounds: await raw(factory, 'rounds'),
      states: await raw(factory, 'states'),
    };
    // Read into today's names and written back: the same records, key for key.
    const db = await RunDb.open(factory);
    try {
      const rounds = await db.rounds('old');
      const meta = (await db.get('old'))!;
      const created = await db.createRun({
        name: 'new',
        config: meta.config,
        backend: 'cpu',
        origin: 'lab',
      });
      await db.saveRound(created.id, rounds[0]!, null, (await db.continuation('old'))!);
      await db.saveRound(created.id, rounds[1]!, null, (await db.continuation('old'))!);
      const runs = await raw(factory, 'runs');
      const written = runs.find((r) => r.id === created.id)!;
      // Every key an earlier lab reads, and one it ignores: the engine (issue 16).
      expect(Object.keys(written).sort()).toEqual(
        [...Object.keys(before.runs[0]!), 'engine'].sort(),
      );
      expect(written.engine).toBe(ENGINE_VERSION);
      expect(meta.engine).toBeNull(); // stored before runs named their engine
      expect(written.resumable).toBe(true);
      const rows = (await raw(factory, 'rounds')).filter((r) => r.runId === created.id);
      expect(rows.map((r) => r.result)).toEqual(before.rounds.map((r) => r.result));
      const state = (await raw(factory, 'states')).find((s) => s.runId === created.id)!;
      expect(state.resume).toEqual(before.states[0]!.resume);
    } finally {
      db.close();
    }
  });

  it('a new database starts at version 1 with its three stores', async () => {
    const factory = new IDBFactory();
    const db = await RunDb.open(factory);
    db.close();
    const conn = await new Promise<IDBDatabase>((resolve) => {
      const req = factory.open(DB_NAME);
      req.onsuccess = () => resolve(req.result);
    });
    expect(conn.version).toBe(DB_VERSION);
    expect(
      Array.from({ length: conn.objectStoreNames.length }, (_, i) =>
        conn.objectStoreNames.item(i),
      ).sort(),
    ).toEqual(['rounds', 'runs', 'states']);
    conn.close();
  });
});
