/**
 * The Experiment on a tiny LeNet: rounds, variants, schedules, curves, observer events, tensor
 * hygiene, seeds, rewinding, one-shot and global pruning, and config validation. Continuing from a
 * continuation is in experiment.continue.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, type ConfigPatch } from './config';
import { BatchOrder, CLASSES, IMAGE_SIZE, fillBatch } from './data';
import { type ExperimentResult, Experiment, type TrainedRound } from './experiment';
import { TINY, data, runAll, science, tiny, useTinyData } from './experiment.testing';
import { initialParams, ticketStart, weightSizes } from './init';
import { Mask, assertShrinks } from './mask';
import { layerHistograms } from './metrics';
import { StackedMlp } from './model';
import { scheduledGlobalCount, scheduledLayerCounts } from './prune';

const SIZES = weightSizes(TINY.model.layers); // [12544, 128, 80]
const TOTAL = SIZES.reduce((a, b) => a + b, 0);

useTinyData();

describe('Experiment on a tiny LeNet', () => {
  /** The reference run: layer scope, reset to θ0, three pruned rounds with all three controls. */
  let base: ExperimentResult;
  const masksAfter: Mask[][] = [];
  const trainedRounds: TrainedRound[] = [];
  const events = { started: [] as number[], points: 0, progress: 0, completed: 0, checkpoints: 0 };

  beforeAll(async () => {
    const e = new Experiment(tiny(), data);
    try {
      base = await e.run({
        roundStarted: (r) => events.started.push(r.round),
        curvePoint: () => events.points++,
        progress: (_round, it, n) => {
          if (it < 1 || it > n || n !== 20) throw new Error(`progress ${it}/${n}`);
          events.progress++;
        },
        variantsTrained: (t) => trainedRounds.push(t),
        roundCompleted: () => {
          events.completed++;
          masksAfter.push([...e.ticketMasks]);
        },
        checkpoint: () => {
          events.checkpoints++;
        },
      });
      expect(e.done).toBe(true);
    } finally {
      e.dispose();
    }
  });

  it('runs every round with the right variants, counts, curves and early stops', () => {
    expect(base.rounds.map((r) => r.round)).toEqual([0, 1, 2, 3]);
    expect(base.config).toEqual(tiny());
    base.rounds.forEach((r) => {
      const names = r.variants.map((v) => v.variant);
      expect(names).toEqual(
        r.round === 0 ? ['ticket'] : ['ticket', 'reinit', 'rearrange', 'random'],
      );
      // P_m follows the layer-wise schedule: hidden layers at 0.2, the output at 0.1 per round.
      const counts = scheduledLayerCounts(TINY, SIZES, r.round);
      expect(r.remaining).toBeCloseTo(counts.reduce((a, b) => a + b, 0) / TOTAL, 12);
      r.remainingByLayer.forEach((d, l) => expect(d).toBeCloseTo(counts[l]! / SIZES[l]!, 12));
      for (const v of r.variants) {
        // The controls keep the ticket's per-layer counts.
        expect(v.remaining).toBeCloseTo(r.remaining, 12);
        v.remainingByLayer.forEach((d, l) => expect(d).toBeCloseTo(r.remainingByLayer[l]!, 12));
        expect(v.curve.map((p) => p.iteration)).toEqual([0, 10, 20]);
        for (const p of v.curve) {
          for (const acc of [p.validationAccuracy, p.testAccuracy]) {
            expect(acc).toBeGreaterThanOrEqual(0);
            expect(acc).toBeLessThanOrEqual(1);
            expect(Math.abs(acc * 200 - Math.round(acc * 200))).toBeLessThan(1e-3); // a count out of 200
          }
          expect(p.trainLoss).toBeGreaterThan(0);
          expect(p.validationLoss).toBeGreaterThan(0);
        }
        const best = v.curve.reduce((a, p) => (p.validationLoss < a.validationLoss ? p : a));
        expect(v.earlyStop.iteration).toBe(best.iteration);
        expect(v.earlyStop.testAccuracy).toBe(best.testAccuracy);
        expect(v.earlyStop.validationAccuracy).toBe(best.validationAccuracy);
        expect(v.finalTestAccuracy).toBe(v.curve[2]!.testAccuracy);
        expect(v.pixelSurvivors.length).toBe(784);
        expect(v.pixelSurvivors.reduce((a, b) => a + b, 0)).toBe(
          Math.round(v.remainingByLayer[0]! * SIZES[0]!),
        );
        expect(v.histograms.length).toBe(3);
        v.histograms.forEach((h, l) =>
          expect(h.surviving.counts.reduce((a, b) => a + b, 0)).toBe(
            Math.round(v.remainingByLayer[l]! * SIZES[l]!),
          ),
        );
      }
    });
    // Round 0 is dense, and 20 iterations of Adam already learn something.
    const dense = base.rounds[0]!.variants[0]!;
    expect(base.rounds[0]!.remaining).toBe(1);
    expect(dense.curve[2]!.validationLoss).toBeLessThan(dense.curve[0]!.validationLoss);
    expect(dense.curve[2]!.testAccuracy).toBeGreaterThan(0.3);
  });

  it('bins each variant’s own starting values in Figure 3, over the whole layer’s θ0', () => {
    const theta0 = initialParams(TINY.model.layers, TINY.training.seed);
    for (const r of base.rounds.slice(1)) {
      const heard = trainedRounds[r.round]!;
      expect(heard.variants).toEqual(r.variants.map((v) => v.variant));
      r.variants.forEach((v, i) => {
        const start = heard.starts[i]!;
        expect(v.histograms).toEqual(
          layerHistograms(TINY.model.layers, theta0.weights, start.params.weights, start.masks),
        );
        // Survivors are counted from the variant's starting values at its own mask.
        v.histograms.forEach((h, l) =>
          expect(h.surviving.counts.reduce((a, b) => a + b, 0)).toBe(start.masks[l]!.count),
        );
      });
      const of = (name: string) => r.variants.find((v) => v.variant === name)!.histograms;
      // Rearranged keeps the ticket's values (elsewhere); reinit's fresh draw is not θ0 at the
      // ticket's mask, which is what the figure showed for it before (the bug of issue 16).
      expect(of('rearrange')).toEqual(of('ticket'));
      expect(of('reinit')).not.toEqual(of('ticket'));
      const ticketStart0 = heard.starts[0]!;
      expect(of('reinit')).not.toEqual(
        layerHistograms(TINY.model.layers, theta0.weights, theta0.weights, ticketStart0.masks),
      );
    }
  });

  it('only shrinks the ticket’s masks, round after round', () => {
    expect(masksAfter.length).toBe(4);
    expect(masksAfter[0]!.map((m) => m.count)).toEqual(SIZES);
    for (let r = 1; r < 4; r++) {
      expect(() => assertShrinks(masksAfter[r]!, masksAfter[r - 1]!)).not.toThrow();
      expect(masksAfter[r]!.map((m) => m.count)).toEqual(scheduledLayerCounts(TINY, SIZES, r));
    }
  });

  it('tells the observer about every round, point, step and checkpoint', () => {
    expect(events.started).toEqual([0, 1, 2, 3]);
    expect(events.completed).toBe(4);
    expect(events.points).toBe(3 * (1 + 4 + 4 + 4));
    expect(events.progress).toBe(4 * 20);
    // At least one checkpoint before every training step (evaluations may add more).
    expect(events.checkpoints).toBeGreaterThanOrEqual(4 * 20);
  });

  it('gives identical results for the same seed, with a flat tensor count from round to round', async () => {
    const before = tf.memory().numTensors;
    const e = new Experiment(tiny(), data);
    const afterRound: number[] = [];
    while (!e.done) {
      await e.runRound();
      afterRound.push(tf.memory().numTensors);
    }
    expect(afterRound.length).toBe(4);
    // Rounds 1, 2 and 3 train four variants, round 0 one: nothing may accumulate in between.
    expect(afterRound[2]).toBe(afterRound[1]);
    expect(afterRound[3]).toBe(afterRound[1]);
    expect(afterRound[1]).toBe(afterRound[0]);
    await expect(e.runRound()).rejects.toThrow(/already run/);
    e.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(e.runRound()).rejects.toThrow(/disposed/);
    expect(science(e.results)).toEqual(science(base.rounds));
  });

  it('prunes each round from the ticket’s trained weights, whatever controls train beside it', async () => {
    // Without controls the ticket trains alone (K = 1); its masks must come out the same.
    const alone = await runAll(tiny({ pruning: { controls: [] } }));
    alone.rounds.forEach((r, i) => {
      const [a, b] = [r.variants[0]!, base.rounds[i]!.variants[0]!];
      expect(a.variant).toBe('ticket');
      expect(a.pixelSurvivors).toEqual(b.pixelSurvivors);
      expect(a.histograms).toEqual(b.histograms);
    });
  });

  it('records the first point at θ0 on the first batch, and the last iteration even off the evalEvery grid', async () => {
    const config = tiny({ training: { iterations: 25 }, pruning: { rounds: 0 } });
    const [r0] = (await runAll(config)).rounds;
    const curve = r0!.variants[0]!.curve;
    expect(curve.map((p) => p.iteration)).toEqual([0, 10, 20, 25]);
    expect(r0!.variants[0]!.finalTestAccuracy).toBe(curve[3]!.testAccuracy);
    // The train loss at iteration 0: θ0 on the first mini-batch of the data order.
    const model = new StackedMlp(config.model.layers, 1);
    const theta0 = initialParams(config.model.layers, config.training.seed);
    model.load([
      ticketStart(
        theta0,
        theta0.weights.map((w) => Mask.ones(w.length)),
      ),
    ]);
    const b = config.training.batchSize;
    const xBuf = new Float32Array(b * IMAGE_SIZE);
    fillBatch(
      data.train,
      new BatchOrder(data.train.size, b, config.training.seed).indices(0),
      xBuf,
      new Float32Array(b * CLASSES),
    );
    const indices = new BatchOrder(data.train.size, b, config.training.seed).indices(0);
    const x = tf.tensor2d(xBuf, [b, IMAGE_SIZE]);
    const labels = tf.tensor1d(
      Int32Array.from(indices, (e) => data.train.labels[e]!),
      'int32',
    );
    const s = model.evaluate(x, labels);
    expect(curve[0]!.trainLoss).toBeCloseTo((await s.lossSum.data())[0]! / b, 5);
    tf.dispose([x, labels, s.lossSum, s.correct]);
    model.dispose();
  });

  it('gives different results for another seed', async () => {
    const other = await runAll(tiny({ training: { seed: 1 }, pruning: { rounds: 0 } }));
    expect(other.rounds[0]!.variants[0]!.curve).not.toEqual(base.rounds[0]!.variants[0]!.curve);
  });

  it('frees the round’s tensors when the observer stops it mid-round, and can run it again', async () => {
    const before = tf.memory().numTensors;
    const e = new Experiment(tiny(), data);
    const ready = tf.memory().numTensors;
    // Stop at the first checkpoint (before any step), at a later one, and in an async one.
    for (const [stopAt, async] of [
      [1, false],
      [7, false],
      [12, true],
    ] as const) {
      let calls = 0;
      const stop = new Error(`stopped by the user at checkpoint ${stopAt}`);
      await expect(
        e.runRound({
          checkpoint: () => {
            if (++calls < stopAt) return;
            if (async) return Promise.reject(stop);
            throw stop;
          },
        }),
      ).rejects.toBe(stop);
      expect(tf.memory().numTensors).toBe(ready);
    }
    // The round did not count, and left nothing behind: running it again gives the reference round.
    expect(e.round).toBe(0);
    expect(e.results.length).toBe(0);
    const r0 = await e.runRound();
    expect(science([r0])).toEqual(science(base.rounds.slice(0, 1)));
    e.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rewind: round 0 is unchanged, later rounds start from iteration k', async () => {
    const rewind = await runAll(
      tiny({ pruning: { rounds: 1, reset: { kind: 'rewind', iteration: 10 } } }),
    );
    expect(rewind.rounds.length).toBe(2);
    expect(science(rewind.rounds.slice(0, 1))).toEqual(science(base.rounds.slice(0, 1)));
    const [ticketInit, ticketRewind] = [
      base.rounds[1]!.variants[0]!,
      rewind.rounds[1]!.variants[0]!,
    ];
    expect(rewind.rounds[1]!.variants.map((v) => v.variant)).toEqual([
      'ticket',
      'reinit',
      'rearrange',
      'random',
    ]);
    // A rewound round picks up the dense run's schedule at k: it trains iterations 11..20 only.
    expect(ticketRewind.curve.map((p) => p.iteration)).toEqual([10, 20]);
    expect(rewind.rounds[1]!.variants.every((v) => v.curve[0]!.iteration === 10)).toBe(true);
    // Rewound weights have trained for 10 iterations: the pruned net starts better than from θ0.
    expect(ticketRewind.curve[0]!.validationLoss).toBeLessThan(ticketInit.curve[0]!.validationLoss);
    // Same masks either way: rewinding changes values, not which weights survive.
    expect(ticketRewind.remainingByLayer).toEqual(ticketInit.remainingByLayer);
    expect(ticketRewind.pixelSurvivors).toEqual(ticketInit.pixelSurvivors);
    // Figure 3 shows each variant's starting values: rewinding changes the ticket's (and those
    // the random and rearranged controls take from it), not reinit's fresh draw.
    const variant = (r: ExperimentResult, name: string) =>
      r.rounds[1]!.variants.find((v) => v.variant === name)!;
    expect(variant(rewind, 'reinit').histograms).toEqual(variant(base, 'reinit').histograms);
    for (const name of ['ticket', 'random', 'rearrange'])
      expect(variant(rewind, name).histograms).not.toEqual(variant(base, name).histograms);
  });

  it('rewind to iteration 0 is the same as resetting to θ0', async () => {
    const rewind0 = await runAll(
      tiny({ pruning: { rounds: 1, reset: { kind: 'rewind', iteration: 0 } } }),
    );
    expect(science(rewind0.rounds)).toEqual(science(base.rounds.slice(0, 2)));
  });

  it('one-shot: each round prunes the dense net straight to the scheduled counts', async () => {
    const oneShot = await runAll(tiny({ pruning: { method: 'oneShot', rounds: 2 } }));
    expect(oneShot.rounds.map((r) => r.round)).toEqual([0, 1, 2]);
    oneShot.rounds.forEach((r) => {
      const counts = scheduledLayerCounts(TINY, SIZES, r.round);
      r.remainingByLayer.forEach((d, l) => expect(d).toBeCloseTo(counts[l]! / SIZES[l]!, 12));
    });
    // After one round, one-shot and iterative pruning are the same thing; after two they differ
    // (one-shot prunes the dense net's weights, iterative the round-1 ticket's).
    expect(science(oneShot.rounds.slice(0, 2))).toEqual(science(base.rounds.slice(0, 2)));
    expect(oneShot.rounds[2]!.variants[0]!.pixelSurvivors).not.toEqual(
      base.rounds[2]!.variants[0]!.pixelSurvivors,
    );
  });

  it('global scope: the total follows the global schedule', async () => {
    const result = await runAll(
      tiny({ pruning: { scope: 'global', rounds: 1, controls: ['random'] } }),
    );
    result.rounds.forEach((r) => {
      expect(r.remaining).toBeCloseTo(scheduledGlobalCount(TINY, SIZES, r.round) / TOTAL, 12);
      expect(r.variants.map((v) => v.variant)).toEqual(
        r.round === 0 ? ['ticket'] : ['ticket', 'random'],
      );
    });
    // One threshold for all layers: the per-layer densities are not the layer-wise schedule's.
    expect(result.rounds[1]!.remainingByLayer).not.toEqual(base.rounds[1]!.remainingByLayer);
  });
});

describe('Experiment config validation', () => {
  const attempt = (patch: ConfigPatch): ConfigError => {
    try {
      new Experiment(tiny(patch), data).dispose();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return e as ConfigError;
    }
    throw new Error(`config ${JSON.stringify(patch)} was accepted`);
  };

  it('throws ConfigError naming the field', () => {
    expect(attempt({ training: { learningRate: Number.NaN } }).message).toMatch(
      /training\.learningRate/,
    );
    expect(attempt({ pruning: { rounds: -1 } }).message).toMatch(/pruning\.rounds/);
    expect(attempt({ pruning: { rate: 2 } }).message).toMatch(/pruning\.rate/);
    expect(attempt({ pruning: { reset: { kind: 'rewind', iteration: 21 } } }).message).toMatch(
      /pruning\.reset\.iteration/,
    );
    expect(attempt({ model: { layers: [784, 16, 9] } }).message).toMatch(
      /last of model\.layers must be 10/,
    );
  });

  it('lists every problem, not just the first', () => {
    const e = attempt({ training: { learningRate: Number.NaN }, pruning: { rounds: -1, rate: 2 } });
    expect(e.problems.length).toBe(3);
    expect(e.problems.join('\n')).toMatch(/learningRate[\s\S]*rate[\s\S]*rounds/);
  });

  it('allocates no tensors for a rejected config', () => {
    const before = tf.memory().numTensors;
    attempt({ pruning: { rate: 2 } });
    expect(tf.memory().numTensors).toBe(before);
  });
});
