/**
 * A run's trials in the history (issue 14): every trial's round saved in one write and read back
 * as the round over trials, every trial's continuation kept, an imported file's trials kept, and
 * a run stored before trials (or by a lab that reads one trial) read as it always was.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Continuation } from '../engine/experiment';
import { trialSeed } from '../engine/trial-seed';
import { tinyRounds, tinyTrialsRunFile } from '../formats/formats.testing';
import { RunDb } from './run-db';

const FILE = tinyTrialsRunFile(3);
const CONFIG = FILE.config;
const seed = (t: number) => trialSeed(CONFIG.training.seed, t);
const cont = (next: number, t: number): Continuation => ({
  nextRound: next,
  masks: [Uint8Array.from({ length: 11 }, (_, i) => ((i + t) % 2 === 0 ? 1 : 0))],
  rewindTo: null,
  denseTrained: null,
});

let db: RunDb;
beforeEach(async () => {
  db = await RunDb.open(new IDBFactory());
});
afterEach(() => db.close());

/** Trial t's round r of the file, as the engine returned it. */
const resultOf = (r: number, t: number) => {
  const round = FILE.rounds[r]!;
  const trial = round.trials[t]!;
  return {
    round: round.round,
    remaining: round.remaining,
    remainingByLayer: round.remainingByLayer,
    variants: trial.variants,
    wallMs: trial.wallMs,
    examplesPerSecond: trial.examplesPerSecond,
  };
};

describe('a run of several trials in the history', () => {
  it('saves every trial of a round in one write and reads the round over trials back', async () => {
    const theta0 = { weights: [Float32Array.from([0.5])], biases: [new Float32Array(1)] };
    const run = await db.createRun({
      name: 'n',
      config: CONFIG,
      backend: 'simd',
      origin: 'lab',
      theta0,
    });
    for (const r of [0, 1]) {
      const others = [1, 2].map((t) => ({
        trial: t,
        seed: seed(t),
        result: resultOf(r, t),
        masks: cont(r + 1, t).masks,
        continuation: cont(r + 1, t),
      }));
      await db.saveRound(run.id, resultOf(r, 0), cont(r + 1, 0).masks, cont(r + 1, 0), 5, others);
    }
    // The round over trials is the file's, summary and all; trial 0 alone is what it always was.
    expect(await db.runRounds(run.id, CONFIG)).toEqual(FILE.rounds.slice(0, 2));
    expect(await db.rounds(run.id)).toEqual([resultOf(0, 0), resultOf(1, 0)]);
    expect(await db.trialContinuations(run.id, CONFIG)).toEqual([
      { ...cont(2, 0), theta0 },
      cont(2, 1),
      cont(2, 2),
    ]);
    // A state that lacks a trial cannot continue, rather than continue some trials only.
    expect(
      await db.trialContinuations(run.id, {
        ...CONFIG,
        training: { ...CONFIG.training, trials: 4 },
      }),
    ).toBeNull();
  });

  it('imports a run file with every trial it holds', async () => {
    const meta = await db.importRun(
      { name: 'f', config: CONFIG, backend: FILE.backend, rounds: FILE.rounds, engine: null },
      'imported',
    );
    expect(await db.runRounds(meta.id, CONFIG)).toEqual(FILE.rounds);
    expect((await db.rounds(meta.id)).map((r) => r.variants)).toEqual(
      FILE.rounds.map((r) => r.trials[0]!.variants),
    );
  });

  it('reads a run stored before trials as a one-trial run of its seed', async () => {
    const one = { ...CONFIG, training: { ...CONFIG.training, trials: 1 } };
    const run = await db.createRun({ name: 'o', config: one, backend: 'wasm', origin: 'lab' });
    await db.saveRound(run.id, tinyRounds()[0]!, null, cont(1, 0));
    const [round] = await db.runRounds(run.id, one);
    expect(round!.trials.map((t) => [t.trial, t.seed])).toEqual([[0, one.training.seed]]);
    expect(round!.summary[0]!.earlyStopTestAccuracy.sd).toBeNull();
    expect(await db.trialContinuations(run.id, one)).toEqual([cont(1, 0)]);
  });

  it('refuses to continue seeds an older lab left out of step, saying why', async () => {
    const run = await db.createRun({ name: 'n', config: CONFIG, backend: 'simd', origin: 'lab' });
    const others = [1, 2].map((t) => ({
      trial: t,
      seed: seed(t),
      result: resultOf(0, t),
      masks: cont(1, t).masks,
      continuation: cont(1, t),
    }));
    await db.saveRound(run.id, resultOf(0, 0), cont(1, 0).masks, cont(1, 0), 5, others);
    // A lab from before trials continued the first seed alone: it saves round 1 of trial 0 only.
    await db.saveRound(run.id, resultOf(1, 0), cont(2, 0).masks, cont(2, 0));
    await expect(db.trialContinuations(run.id, CONFIG)).rejects.toThrow(
      /its seeds are out of step \(trial 0 is at round 2, trial 1 at round 1, trial 2 at round 1\)/,
    );
    // What it stored still reads: each round with the seeds it holds.
    expect((await db.runRounds(run.id, CONFIG)).map((r) => r.trials.length)).toEqual([3, 1]);
  });
});
