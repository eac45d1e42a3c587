/**
 * The lab's kernels against the tfjs path (the reference: its backward pass is itself checked
 * against tf.grads in model.reference.test.ts), and the kernels' own invariants: masks hold
 * through Adam, results do not depend on the thread count, memory is given back. Sparse
 * storage is in kernel-sparse.test.ts, a thread that dies in kernel-threads.test.ts; the shared
 * fixtures are in kernel-compute.testing.ts.
 */
import { describe, expect, it } from 'vitest';
import { loadMnistFromDisk } from '../node-host/node-mnist';
import type { Compute } from '../engine/compute';
import { DEFAULT_CONFIG, type ExperimentConfig, mergeConfig } from '../engine/config';
import { BatchOrder, splitMnist } from '../engine/data';
import { Experiment } from '../engine/experiment';
import { type VariantStart, initialParams, ticketStart } from '../engine/init';
import { Mask } from '../engine/mask';
import { tfCompute } from '../engine/tf-compute';
import { KernelSession } from './kernel-compute';
import type { KernelTrainer } from './kernel-trainer';
import {
  BATCH,
  LAYERS,
  data,
  maxRelDiff,
  one,
  params,
  starts,
  two,
  useKernels,
} from './kernel-compute.testing';

useKernels();

/**
 * Trains `steps` steps of the data order on a fresh trainer (on the kernels, with its layers stored
 * as asked); the caller disposes what it gets.
 */
async function trained(
  compute: Compute,
  from: VariantStart[],
  steps: number,
  lr = 3e-3,
  storage: 'auto' | 'dense' | 'sparse' = 'auto',
) {
  const session = compute.open(data, LAYERS, { batchSize: BATCH, evalChunk: 50 });
  const trainer =
    session instanceof KernelSession
      ? session.kernelTrainer(from.length, storage)
      : session.trainer(from.length);
  trainer.load(from);
  const order = new BatchOrder(data.train.size, BATCH, 7);
  const losses: Float32Array[] = [];
  for (let s = 0; s < steps; s++) {
    const wait = trainer.step(order.indices(s), lr);
    if (wait) await wait;
    losses.push(await trainer.takeTrainLoss());
  }
  return { session, trainer, losses };
}

describe('the kernels train as the tfjs path does', () => {
  it('load, then read back: every variant’s weights and biases, bit for bit', async () => {
    const from = starts(1);
    from[1]!.params.biases[0]![3] = 0.25;
    const session = one.open(data, LAYERS, { batchSize: BATCH });
    const trainer = session.trainer(3);
    try {
      trainer.load(from);
      const back = await params(trainer);
      back.forEach((p, v) => {
        p.weights.forEach((w, l) =>
          expect(Array.from(w)).toEqual(Array.from(from[v]!.params.weights[l]!)),
        );
        p.biases.forEach((b, l) =>
          expect(Array.from(b)).toEqual(Array.from(from[v]!.params.biases[l]!)),
        );
      });
    } finally {
      trainer.dispose();
      session.dispose();
    }
  });

  it('20 steps of three variants in lockstep: the same losses and weights as tfjs, to float rounding', async () => {
    const from = starts(2);
    const ref = await trained(tfCompute, from, 20);
    const ours = await trained(one, from, 20);
    try {
      ours.losses.forEach((l, s) => expect(maxRelDiff(l, ref.losses[s]!)).toBeLessThan(1e-4));
      const [a, b] = [await params(ours.trainer), await params(ref.trainer)];
      a.forEach((p, v) => {
        p.weights.forEach((w, l) =>
          expect(maxRelDiff(w, b[v]!.weights[l]!, 1e-2), `variant ${v}, layer ${l}`).toBeLessThan(
            2e-3,
          ),
        );
        p.biases.forEach((w, l) =>
          expect(maxRelDiff(w, b[v]!.biases[l]!, 1e-2)).toBeLessThan(2e-3),
        );
      });
      // The variants really differ (a kernel that trained variant 0 three times would pass the
      // above only by luck).
      expect(Array.from(a[1]!.weights[0]!)).not.toEqual(Array.from(a[0]!.weights[0]!));
      for (const split of ['validation', 'test'] as const) {
        const [e, r] = [await ours.trainer.evaluate(split), await ref.trainer.evaluate(split)];
        expect(maxRelDiff(e.loss, r.loss)).toBeLessThan(1e-3);
        // An argmax may flip on a near tie: at most one example of the split.
        expect(maxRelDiff(e.accuracy, r.accuracy, 1)).toBeLessThanOrEqual(
          1 / data[split].size + 1e-7,
        );
      }
      const indices = new BatchOrder(data.train.size, BATCH, 3).indices(5);
      expect(
        maxRelDiff(await ours.trainer.batchLoss(indices), await ref.trainer.batchLoss(indices)),
      ).toBeLessThan(1e-4);
    } finally {
      for (const r of [ref, ours]) {
        r.trainer.dispose();
        r.session.dispose();
      }
    }
  });

  // Dense storage multiplies the gradient by the mask inside Adam; sparse storage keeps no pruned
  // weight at all. Each is forced here: at this density 'auto' would always pick sparse.
  for (const storage of ['dense', 'sparse'] as const)
    it(`a pruned weight stays exactly 0 through 200 Adam steps, and a kept one moves (${storage} storage)`, async () => {
      const from = starts(3, 0.3);
      const { session, trainer } = await trained(one, from, 200, 1e-2, storage);
      try {
        expect((trainer as KernelTrainer).storages).toEqual([storage, storage, storage]);
        const after = await params(trainer);
        after.forEach((p, v) =>
          p.weights.forEach((w, l) => {
            const mask = from[v]!.masks[l]!;
            let pruned = 0;
            let moved = 0;
            for (let i = 0; i < w.length; i++) {
              if (!mask.bits[i]) pruned += Object.is(w[i], 0) ? 0 : 1;
              else if (w[i] !== from[v]!.params.weights[l]![i]) moved++;
            }
            expect(pruned, `variant ${v}, layer ${l}: pruned weights not exactly +0`).toBe(0);
            // Most kept weights move (a unit the ReLU never opens keeps its weights: not all).
            expect(moved).toBeGreaterThan(0.5 * mask.count);
          }),
        );
      } finally {
        trainer.dispose();
        session.dispose();
      }
    });

  it('gives the same bits on one thread and on two', async () => {
    const from = starts(4);
    const a = await trained(one, from, 12);
    const b = await trained(two, from, 12);
    try {
      expect(b.losses).toEqual(a.losses);
      const [pa, pb] = [await params(a.trainer), await params(b.trainer)];
      pb.forEach((p, v) =>
        p.weights.forEach((w, l) =>
          expect(
            Buffer.from(w.buffer).equals(Buffer.from(pa[v]!.weights[l]!.buffer)),
            `variant ${v}, layer ${l}`,
          ).toBe(true),
        ),
      );
      expect(await b.trainer.evaluate('test')).toEqual(await a.trainer.evaluate('test'));
    } finally {
      for (const r of [a, b]) {
        r.trainer.dispose();
        r.session.dispose();
      }
    }
    expect(two.name).toMatch(/^simd(-fma)?, 2 threads$/);
  });

  it('evaluates a held-out split of any size, each example once', async () => {
    const from = starts(5);
    const session = one.open(data, LAYERS, { batchSize: BATCH });
    const trainer = session.trainer(3);
    const ref = tfCompute.open(data, LAYERS, { batchSize: BATCH, evalChunk: 1000 });
    const refTrainer = ref.trainer(3);
    try {
      trainer.load(from);
      refTrainer.load(from);
      let checks = 0;
      const e = await trainer.evaluate('test', () => void checks++);
      const r = await refTrainer.evaluate('test');
      expect(checks).toBe(Math.ceil(197 / 64));
      expect(maxRelDiff(e.loss, r.loss)).toBeLessThan(1e-5);
      expect(Array.from(e.accuracy)).toEqual(Array.from(r.accuracy));
      // Counts of right answers out of 197: multiples of 1/197.
      for (const acc of e.accuracy)
        expect(Math.abs(acc * 197 - Math.round(acc * 197))).toBeLessThan(1e-3);
    } finally {
      trainer.dispose();
      session.dispose();
      refTrainer.dispose();
      ref.dispose();
    }
  });

  it('gives its memory back: a session and its rounds leave the heap as they found it', async () => {
    const before = one.arena.used;
    const session = one.open(data, LAYERS, { batchSize: BATCH });
    const opened = one.arena.used;
    for (let round = 0; round < 5; round++) {
      const trainer = session.trainer(3);
      trainer.load(starts(round));
      trainer.step(new BatchOrder(data.train.size, BATCH, 0).indices(round), 1e-3);
      expect(() => session.trainer(1)).toThrow('one trainer at a time');
      trainer.dispose();
      expect(one.arena.used).toBe(opened);
    }
    expect(() => one.open(data, LAYERS, { batchSize: BATCH })).toThrow('one experiment at a time');
    // A session ended under a live round ends the round first; the round's late dispose is a no-op
    // and its calls refuse, so it cannot touch bytes a later session lays out.
    const abandoned = session.trainer(1);
    abandoned.load(starts(9).slice(0, 1));
    session.dispose();
    expect(one.arena.used).toBe(before);
    const next = one.open(data, LAYERS, { batchSize: BATCH });
    const taken = one.arena.used;
    abandoned.dispose();
    expect(one.arena.used).toBe(taken);
    expect(() =>
      abandoned.step(new BatchOrder(data.train.size, BATCH, 0).indices(0), 1e-3),
    ).toThrow('trainer disposed');
    next.dispose();
    expect(one.arena.used).toBe(before);
    expect(await one.roundTrip([Float32Array.of(1.5, -0, Number.MIN_VALUE)])).toEqual([
      Float32Array.of(1.5, -0, Number.MIN_VALUE),
    ]);
    expect(one.arena.used).toBe(before);
  });
});

describe('an experiment on the kernels', () => {
  const config: ExperimentConfig = mergeConfig(DEFAULT_CONFIG, {
    data: { trainSize: 600, validationSize: 200, testSize: 200 },
    model: { layers: [784, 16, 8, 10] },
    training: { iterations: 20, evalEvery: 10, batchSize: 20, seed: 0 },
    pruning: { rounds: 2, controls: ['reinit'] },
  });

  it('runs every round with the tfjs path’s masks and nearly its curves, the same on two threads', async () => {
    const small = splitMnist(loadMnistFromDisk(), config.data);
    const run = async (compute: Compute) => {
      const e = new Experiment(config, small, { now: () => 0, compute });
      try {
        return await e.run();
      } finally {
        e.dispose();
      }
    };
    const [ref, ours, threaded] = [await run(tfCompute), await run(one), await run(two)];
    expect(threaded.rounds).toEqual(ours.rounds);
    ours.rounds.forEach((round, r) => {
      expect(round.remainingByLayer).toEqual(ref.rounds[r]!.remainingByLayer);
      round.variants.forEach((variant, v) => {
        const other = ref.rounds[r]!.variants[v]!;
        expect(variant.pixelSurvivors).toEqual(other.pixelSurvivors);
        variant.curve.forEach((p, i) =>
          expect(Math.abs(p.validationLoss - other.curve[i]!.validationLoss)).toBeLessThan(2e-3),
        );
      });
    });
  });
});

describe('the masks the kernels are given', () => {
  it('refuses variants that do not fit the layers', () => {
    const session = one.open(data, LAYERS, { batchSize: BATCH });
    const trainer = session.trainer(1);
    try {
      const theta0 = initialParams([784, 20, 12, 11], 0);
      expect(() =>
        trainer.load([
          ticketStart(
            theta0,
            theta0.weights.map((w) => Mask.ones(w.length)),
          ),
        ]),
      ).toThrow('expected');
      expect(() => trainer.load([])).toThrow('expected 1 variants');
    } finally {
      trainer.dispose();
      session.dispose();
    }
  });
});
