/**
 * Trials: seeds per trial, one trial's experiment, summaries over trials, and shards. The tiny
 * LeNet of experiment.testing.ts trains the trials that need training.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config';
import { Experiment, type RoundResult } from './experiment';
import { data, runAll, science, tiny, useTinyData } from './experiment.testing';
import type { CurvePoint } from './metrics';
import { trialSeed } from './trial-seed';
import {
  assembleRounds,
  iterationsToThreshold,
  roundsOfTrial,
  summarize,
  trialsOfShard,
} from './trials';

useTinyData();

async function runTrial(trials: number, trial: number): Promise<RoundResult[]> {
  const e = new Experiment(tiny({ training: { trials }, pruning: { rounds: 1 } }), data, {
    now: () => 0,
    trial,
  });
  try {
    return (await e.run()).rounds;
  } finally {
    e.dispose();
  }
}

describe('trial seeds', () => {
  it('trial 0 is the seed itself; later trials get distinct, reproducible 31-bit seeds', () => {
    expect(trialSeed(7, 0)).toBe(7);
    const seeds = Array.from({ length: 200 }, (_, t) => trialSeed(7, t));
    expect(new Set(seeds).size).toBe(200);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 31).toBe(true);
    expect(trialSeed(7, 3)).toBe(seeds[3]);
    expect(trialSeed(8, 3)).not.toBe(seeds[3]);
    expect(() => trialSeed(7, -1)).toThrow(RangeError);
  });
});

describe('one trial of an experiment', () => {
  it('trial 0 of a 3-trial run is bit for bit the one-trial run', async () => {
    const single = await runAll(tiny({ pruning: { rounds: 1 } }));
    expect(science(await runTrial(3, 0))).toEqual(science(single.rounds));
  });

  it('trial t trains what a one-trial run of seed trialSeed(seed, t) trains, and differs from trial 0', async () => {
    const t1 = await runTrial(3, 1);
    const alone = await runAll(
      tiny({ training: { seed: trialSeed(0, 1) }, pruning: { rounds: 1 } }),
    );
    expect(science(t1)).toEqual(science(alone.rounds));
    const t0 = await runTrial(3, 0);
    expect(t1[0]!.variants[0]!.curve).not.toEqual(t0[0]!.variants[0]!.curve);
    // Its own masks: the first pruning of another θ0 and data order keeps other weights.
    expect(t1[1]!.variants[0]!.pixelSurvivors).not.toEqual(t0[1]!.variants[0]!.pixelSurvivors);
    expect(t1[1]!.remaining).toBe(t0[1]!.remaining);
  });

  it('refuses a trial the config does not have, and a trial count out of range', () => {
    expect(() => new Experiment(tiny({ training: { trials: 2 } }), data, { trial: 2 })).toThrow(
      /trial 2 is not one of this run's 2 trials \(0–1\)/,
    );
    expect(() => new Experiment(tiny({ training: { trials: 0 } }), data)).toThrow(ConfigError);
    expect(() => new Experiment(tiny({ training: { trials: 1.5 } }), data)).toThrow(
      /training.trials must be an integer/,
    );
  });
});

describe('summaries over trials', () => {
  it('gives n, mean, sample sd, min and max, skipping trials without the number', () => {
    const s = summarize([1, 2, null, 3, 4]);
    expect(s.n).toBe(4);
    expect(s.mean).toBe(2.5);
    expect(s.sd).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect([s.min, s.max]).toEqual([1, 4]);
    expect(summarize([0.9])).toEqual({ n: 1, mean: 0.9, sd: null, min: 0.9, max: 0.9 });
    expect(summarize([null])).toEqual({ n: 0, mean: null, sd: null, min: null, max: null });
  });

  it('finds the first evaluation at the accuracy threshold', () => {
    const at = (iteration: number, validationAccuracy: number): CurvePoint => ({
      iteration,
      validationAccuracy,
      trainLoss: 1,
      validationLoss: 1,
      testAccuracy: 0,
    });
    const curve = [at(0, 0.1), at(100, 0.94), at(200, 0.95), at(300, 0.97)];
    expect(iterationsToThreshold(curve)).toBe(200);
    expect(iterationsToThreshold(curve, 0.99)).toBeNull();
  });

  it('assembles rounds in trial order whatever order the trials come in, with their summary', async () => {
    const config = tiny({ training: { trials: 3 }, pruning: { rounds: 1 } });
    const trials = await Promise.all(
      [0, 1, 2].map(async (trial) => ({
        trial,
        seed: trialSeed(0, trial),
        rounds: await runTrial(3, trial),
      })),
    );
    const rounds = assembleRounds(config, trials);
    expect(assembleRounds(config, [trials[2]!, trials[0]!, trials[1]!])).toEqual(rounds);
    expect(rounds.map((r) => r.trials.map((t) => t.trial))).toEqual([
      [0, 1, 2],
      [0, 1, 2],
    ]);
    const reinit = rounds[1]!.summary.find((s) => s.variant === 'reinit')!;
    const finals = trials.map((t) => t.rounds[1]!.variants[1]!.finalTestAccuracy);
    expect(reinit.trials).toBe(3);
    expect(reinit.finalTestAccuracy).toEqual(summarize(finals));
    expect(rounds[0]!.summary.map((s) => s.variant)).toEqual(['ticket']);
    expect(roundsOfTrial(rounds, 1)).toEqual(trials[1]!.rounds);
    expect(() => assembleRounds(config, [trials[0]!, trials[0]!])).toThrow(/trial 0 appears twice/);
    expect(() =>
      assembleRounds(config, [
        trials[0]!,
        { ...trials[1]!, rounds: trials[1]!.rounds.slice(0, 1) },
      ]),
    ).toThrow(/trial 1 holds 1 rounds, trial 0 2/);
  });
});

describe('shards', () => {
  it('split the trials into disjoint shards of nearly equal size that cover them all', () => {
    expect(trialsOfShard(5, 1, 3)).toEqual([1, 4]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 12 }), (n, count) => {
        const shards = Array.from({ length: count }, (_, i) => trialsOfShard(n, i, count));
        const all = shards.flat().sort((a, b) => a - b);
        expect(all).toEqual(Array.from({ length: n }, (_, t) => t));
        const sizes = shards.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
    expect(() => trialsOfShard(5, 3, 3)).toThrow(RangeError);
    expect(() => trialsOfShard(5, 0, 0)).toThrow(RangeError);
  });
});
