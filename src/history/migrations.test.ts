/**
 * A history written by the lab before issue 13 (schema version 1, written here record by record
 * as that lab wrote it) opens in today's lab with nothing lost: runs, rounds and the state a run
 * continues from, under their new names.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../engine/config';
import { packBits } from '../formats/bits';
import { DB_VERSION } from './migrations';
import { DB_NAME, RunDb } from './run-db';

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
    config: DEFAULT_CONFIG,
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

describe('a run history of schema version 1', () => {
  it('opens at version 2 with every run, round and continuation, under their new names', async () => {
    const factory = new IDBFactory();
    await writeVersion1(factory);
    const db = await RunDb.open(factory);
    try {
      const [run] = await db.list();
      expect(run).toMatchObject({ id: 'old', roundsDone: 2, continuable: true });
      expect(run).not.toHaveProperty('resumable');
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
      // Written on after the upgrade like any run: the next round lands beside the old ones.
      await db.saveRound('old', { ...rounds[1]!, round: 2 }, null, null);
      expect((await db.get('old'))!).toMatchObject({ status: 'done', continuable: false });
    } finally {
      db.close();
    }
    const raw = await new Promise<IDBDatabase>((resolve) => {
      const req = factory.open(DB_NAME);
      req.onsuccess = () => resolve(req.result);
    });
    expect(raw.version).toBe(DB_VERSION);
    raw.close();
  });

  it('a new database starts at the current version with its three stores', async () => {
    const factory = new IDBFactory();
    const db = await RunDb.open(factory);
    db.close();
    const raw = await new Promise<IDBDatabase>((resolve) => {
      const req = factory.open(DB_NAME);
      req.onsuccess = () => resolve(req.result);
    });
    expect(raw.version).toBe(DB_VERSION);
    expect(
      Array.from({ length: raw.objectStoreNames.length }, (_, i) =>
        raw.objectStoreNames.item(i),
      ).sort(),
    ).toEqual(['rounds', 'runs', 'states']);
    raw.close();
  });
});
