import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../engine/config';
import type { Continuation, RoundResult } from '../engine/experiment';
import { roundsOfOneTrial } from '../formats/run-rounds';
import { RunDb } from './run-db';

function round(r: number, accuracy: number): RoundResult {
  const remaining = 0.8 ** r;
  const variant = {
    variant: 'ticket' as const,
    remaining,
    remainingByLayer: [remaining, remaining, 0.9 ** r],
    curve: [
      {
        iteration: 0,
        trainLoss: 2.3,
        validationLoss: 2.3,
        validationAccuracy: 0.1,
        testAccuracy: 0.1,
      },
    ],
    earlyStop: { iteration: 0, validationAccuracy: accuracy, testAccuracy: accuracy },
    finalTestAccuracy: accuracy,
    histograms: [],
    pixelSurvivors: [],
  };
  return {
    round: r,
    remaining,
    remainingByLayer: variant.remainingByLayer,
    variants: [variant],
    wallMs: 1000,
    examplesPerSecond: 5000,
  };
}

const masks = (n: number, seed: number) => [
  Uint8Array.from({ length: n }, (_, i) => ((i * 7 + seed) % 3 === 0 ? 0 : 1)),
  Uint8Array.from({ length: 13 }, (_, i) => i % 2),
];
const continuation = (next: number): Continuation => ({
  nextRound: next,
  masks: masks(21, next),
  rewindTo: null,
  denseTrained: null,
});

/** The paper's config without controls: the rounds above hold a ticket alone. */
const ALONE = { ...DEFAULT_CONFIG, pruning: { ...DEFAULT_CONFIG.pruning, controls: [] } };

let db: RunDb;
beforeEach(async () => {
  db = await RunDb.open(new IDBFactory());
});
afterEach(() => db.close());

describe('run history in IndexedDB', () => {
  it('keeps every completed round with its masks, and the state to continue from', async () => {
    const theta0 = { weights: [Float32Array.from([0.5, -0.25])], biases: [new Float32Array(2)] };
    const run = await db.createRun(
      { name: 'lecture', config: DEFAULT_CONFIG, backend: 'wasm', origin: 'lab', theta0 },
      1000,
    );
    expect(run).toMatchObject({ status: 'running', roundsDone: 0, continuable: false });
    await db.saveRound(run.id, round(0, 0.97), masks(21, 0), continuation(1), 2000);
    const after = await db.saveRound(run.id, round(1, 0.98), masks(21, 1), continuation(2), 3000);
    expect(after).toMatchObject({
      roundsDone: 2,
      remaining: 0.8,
      bestAccuracy: 0.98,
      continuable: true,
      status: 'running',
      updatedAt: 3000,
    });
    expect((await db.rounds(run.id)).map((r) => r.round)).toEqual([0, 1]);
    expect(await db.rounds(run.id)).toEqual([round(0, 0.97), round(1, 0.98)]);
    expect(await db.roundMasks(run.id, 1)).toEqual(masks(21, 1));
    expect(await db.roundMasks(run.id, 7)).toBeNull();
    expect(await db.continuation(run.id)).toEqual(continuation(2));
    expect(await db.theta0(run.id)).toEqual(theta0);
  });

  it('a last round (no state to continue from) marks the run done', async () => {
    const run = await db.createRun({
      name: 'r',
      config: DEFAULT_CONFIG,
      backend: 'wasm',
      origin: 'lab',
    });
    const meta = await db.saveRound(run.id, round(0, 0.9), masks(21, 0), null);
    expect(meta).toMatchObject({ status: 'done', continuable: false });
    expect(await db.continuation(run.id)).toBeNull();
  });

  it('lists newest first, renames, and deletes a run with all its rounds', async () => {
    const a = await db.createRun(
      { name: 'a', config: DEFAULT_CONFIG, backend: 'wasm', origin: 'lab' },
      1,
    );
    const b = await db.createRun(
      { name: 'b', config: DEFAULT_CONFIG, backend: 'wasm', origin: 'lab' },
      2,
    );
    await db.saveRound(a.id, round(0, 0.9), masks(21, 0), continuation(1), 3);
    expect((await db.list()).map((m) => m.name)).toEqual(['a', 'b']);
    expect((await db.rename(b.id, '  dense baseline  ')).name).toBe('dense baseline');
    await expect(db.rename(b.id, '   ')).rejects.toThrow('a run needs a name');
    await db.delete(a.id);
    expect((await db.list()).map((m) => m.id)).toEqual([b.id]);
    expect(await db.rounds(a.id)).toEqual([]);
    expect(await db.continuation(a.id)).toBeNull();
    await expect(db.saveRound(a.id, round(1, 0.9), null, null)).rejects.toThrow(
      `no stored run ${a.id}`,
    );
  });

  it('imports a run file as a finished run without masks', async () => {
    const meta = await db.importRun(
      {
        name: 'lecture',
        config: ALONE,
        backend: 'wasm (node)',
        rounds: roundsOfOneTrial(ALONE, [round(0, 0.97), round(1, 0.983), round(2, 0.981)]),
        engine: 'lottery-ticket-lab engine 1',
      },
      'recorded',
    );
    expect(meta).toMatchObject({
      origin: 'recorded',
      status: 'done',
      roundsDone: 3,
      remaining: 0.8 ** 2,
      bestAccuracy: 0.983,
      continuable: false,
    });
    expect(await db.rounds(meta.id)).toHaveLength(3);
    expect(await db.roundMasks(meta.id, 1)).toBeNull();
  });

  it('a failing write leaves the database as it was', async () => {
    const run = await db.createRun({
      name: 'r',
      config: DEFAULT_CONFIG,
      backend: 'wasm',
      origin: 'lab',
    });
    await db.saveRound(run.id, round(0, 0.9), masks(21, 0), continuation(1));
    const before = { list: await db.list(), rounds: await db.rounds(run.id) };
    // A function cannot be cloned into IndexedDB: the transaction aborts as a whole.
    const bad = { ...round(1, 0.95), wallMs: (() => 1) as unknown as number };
    await expect(db.saveRound(run.id, bad, masks(21, 1), continuation(2))).rejects.toThrow();
    expect({ list: await db.list(), rounds: await db.rounds(run.id) }).toEqual(before);
    expect(await db.continuation(run.id)).toEqual(continuation(1));
  });

  it('a second connection (the page, while the worker writes) sees the same runs', async () => {
    const factory = new IDBFactory();
    const writer = await RunDb.open(factory);
    const reader = await RunDb.open(factory);
    const run = await writer.createRun({
      name: 'shared',
      config: DEFAULT_CONFIG,
      backend: 'wasm',
      origin: 'lab',
    });
    await writer.saveRound(run.id, round(0, 0.9), masks(21, 0), continuation(1));
    expect((await reader.list()).map((m) => [m.name, m.roundsDone])).toEqual([['shared', 1]]);
    writer.close();
    reader.close();
  });

  it('a rename or a delete racing a round save is neither lost nor revives the run', async () => {
    const a = await db.createRun({
      name: 'a',
      config: DEFAULT_CONFIG,
      backend: 'wasm',
      origin: 'lab',
    });
    await db.saveRound(a.id, round(0, 0.9), masks(21, 0), continuation(1));
    await Promise.all([
      db.saveRound(a.id, round(1, 0.95), masks(21, 1), continuation(2)),
      db.rename(a.id, 'renamed'),
    ]);
    expect(await db.get(a.id)).toMatchObject({ name: 'renamed', roundsDone: 2 });

    const results = await Promise.allSettled([
      db.saveRound(a.id, round(2, 0.96), masks(21, 2), continuation(3)),
      db.delete(a.id),
    ]);
    expect(results[1]!.status).toBe('fulfilled');
    expect(await db.list()).toEqual([]);
    expect(await db.rounds(a.id)).toEqual([]);
    await expect(db.saveRound(a.id, round(3, 0.9), null, null)).rejects.toThrow(
      `no stored run ${a.id}`,
    );
    expect(await db.list()).toEqual([]);
  });

  it('a finished run stays done whatever status comes late', async () => {
    const a = await db.createRun({
      name: 'a',
      config: DEFAULT_CONFIG,
      backend: 'wasm',
      origin: 'lab',
    });
    await db.saveRound(a.id, round(0, 0.9), masks(21, 0), null);
    expect(await db.setStatus(a.id, 'stopped')).toMatchObject({ status: 'done' });
  });

  it('names every backend that trained a run, in turn, once each time one takes over', async () => {
    const a = await db.createRun({
      name: 'a',
      config: DEFAULT_CONFIG,
      backend: 'webgpu · swiftshader',
      origin: 'lab',
    });
    expect((await db.trainedOn(a.id, 'webgpu · swiftshader')).backend).toBe('webgpu · swiftshader');
    expect((await db.trainedOn(a.id, 'simd · 2 threads')).backend).toBe(
      'webgpu · swiftshader → simd · 2 threads',
    );
    expect((await db.trainedOn(a.id, 'simd · 2 threads')).backend).toBe(
      'webgpu · swiftshader → simd · 2 threads',
    );
    await db.trainedOn(a.id, 'webgpu · swiftshader');
    expect((await db.get(a.id))!.backend).toBe(
      'webgpu · swiftshader → simd · 2 threads → webgpu · swiftshader',
    );
    // Within what a run file holds (200 characters), however often it changed: the first and the
    // last.
    const webgl = `webgl · ${'ANGLE (SwiftShader) '.repeat(7)}`;
    expect((await db.trainedOn(a.id, webgl)).backend).toBe(`webgpu · swiftshader → … → ${webgl}`);
    const long = await db.trainedOn(a.id, 'x'.repeat(300));
    expect(long.backend).toHaveLength(200);
    expect(long.backend.startsWith('webgpu · swiftshader → … → xxx')).toBe(true);
  });
});
