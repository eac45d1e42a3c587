/**
 * The kernels' sparse storage (a round whose masks keep few weights): chosen below half density,
 * read back exactly, the same forward pass and nearly the same training as the dense tiles, the
 * same bits on one thread and two, mismatched survivor counts refused.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useNodeBackend } from '../node-host/node-backend';
import { nodeKernels } from '../node-host/node-kernels';
import type { ComputeSession, Trainer } from '../engine/compute';
import { DEFAULT_CONFIG } from '../engine/config';
import { BatchOrder } from '../engine/data';
import { type VariantStart, controlStart, initialParams, ticketStart } from '../engine/init';
import { remainingFraction } from '../engine/mask';
import { randomMasks } from '../engine/model.testing';
import { pruneOneShot } from '../engine/prune';
import { Rng } from '../engine/rng';
import { tfCompute } from '../engine/tf-compute';
import type { KernelCompute } from './kernel-compute';
import { LIT_SPARSE_BELOW, SPARSE_BELOW, sparseBelow } from './layers';
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

describe('sparse storage (a round whose masks keep few weights)', () => {
  /**
   * One round's trainer with its layers stored as asked, after `steps` steps of the data order.
   * Each compute holds one session, so two live trainers sit on `one` and `two` (the thread
   * count changes no bit: tested in kernel-compute.test.ts and below).
   */
  async function stored(
    storage: 'dense' | 'sparse' | 'auto',
    from: VariantStart[],
    steps: number,
    compute: KernelCompute = one,
  ) {
    const session = compute.open(data, LAYERS, { batchSize: BATCH });
    const trainer = session.kernelTrainer(from.length, storage);
    trainer.load(from);
    const order = new BatchOrder(data.train.size, BATCH, 11);
    const losses: Float32Array[] = [];
    for (let s = 0; s < steps; s++) {
      trainer.step(order.indices(s), 3e-3);
      losses.push(await trainer.takeTrainLoss());
    }
    return { session, trainer, losses };
  }
  const done = (...runs: { session: { dispose(): void }; trainer: Trainer }[]) =>
    runs.forEach((r) => (r.trainer.dispose(), r.session.dispose()));

  it('is chosen below each layer’s measured crossover (layers.ts), layer by layer', async () => {
    // The first layer's crossover (0.6) is above the others' (0.55): at 0.575 it alone is sparse.
    expect(SPARSE_BELOW.first).toBeGreaterThan(0.585);
    expect(SPARSE_BELOW.hidden).toBeLessThan(0.565);
    // The plain build keeps the tiles; the fma build trains a first layer lit (lit-layer.ts)
    // down to its own crossover with sparse storage.
    const plain = await nodeKernels(1, 'plain');
    try {
      for (const compute of [plain, one])
        for (const density of [0.65, 0.575, 0.3, 0.2]) {
          const from = starts(9, density);
          const run = await stored('auto', from, 0, compute);
          const fma = compute.arithmetic === 'fma';
          try {
            const expected = from[0]!.masks.map((m, l) => {
              const d = m.count / m.bits.length;
              if (fma && l === 0 && d >= LIT_SPARSE_BELOW) return 'lit';
              return d < sparseBelow(l, 3) ? 'sparse' : 'dense';
            });
            const at = `${compute.name}, density ${density}`;
            expect(run.trainer.storages, at).toEqual(expected);
            if (!fma && density === 0.575) expect(run.trainer.storages[0]).toBe('sparse');
            if (density === 0.65)
              expect(run.trainer.storages, at).toEqual([fma ? 'lit' : 'dense', 'dense', 'dense']);
            if (density === 0.2)
              expect(run.trainer.storages, at).toEqual(['sparse', 'sparse', 'sparse']);
          } finally {
            done(run);
          }
        }
    } finally {
      plain.dispose();
    }
  });

  it('reads back what it was given, pruned weights as exact zeros', async () => {
    const from = starts(8, 0.2);
    const run = await stored('sparse', from, 0);
    try {
      const back = await params(run.trainer);
      back.forEach((p, v) =>
        p.weights.forEach((w, l) =>
          expect(Array.from(w)).toEqual(
            Array.from(from[v]!.params.weights[l]!).map((x, i) =>
              from[v]!.masks[l]!.bits[i] ? x : 0,
            ),
          ),
        ),
      );
    } finally {
      done(run);
    }
  });

  it('computes the forward pass bit for bit as the dense tiles do, and trains as they do to rounding', async () => {
    const from = starts(9, 0.25);
    const dense = await stored('dense', from, 0);
    const sparse = await stored('sparse', from, 0, two);
    try {
      // Same weights, no step yet: the forward passes (and so the evaluations) agree exactly.
      expect(await sparse.trainer.evaluate('test')).toEqual(await dense.trainer.evaluate('test'));
      const indices = new BatchOrder(data.train.size, BATCH, 4).indices(2);
      expect(await sparse.trainer.batchLoss(indices)).toEqual(
        await dense.trainer.batchLoss(indices),
      );
    } finally {
      done(dense, sparse);
    }
    const [d, s] = [await stored('dense', from, 25), await stored('sparse', from, 25, two)];
    try {
      s.losses.forEach((l, i) => expect(maxRelDiff(l, d.losses[i]!)).toBeLessThan(1e-4));
      const [pd, ps] = [await params(d.trainer), await params(s.trainer)];
      ps.forEach((p, v) =>
        p.weights.forEach((w, l) => {
          expect(maxRelDiff(w, pd[v]!.weights[l]!, 1e-2), `variant ${v}, layer ${l}`).toBeLessThan(
            1e-3,
          );
          w.forEach((x, i) => from[v]!.masks[l]!.bits[i] || expect(x).toBe(0));
        }),
      );
    } finally {
      done(d, s);
    }
  });

  it('gives the same bits on one thread and on two', async () => {
    const from = starts(10, 0.2);
    const a = await stored('sparse', from, 10);
    const b = await stored('sparse', from, 10, two);
    try {
      expect(b.losses).toEqual(a.losses);
      expect(await params(b.trainer)).toEqual(await params(a.trainer));
    } finally {
      done(a, b);
    }
  });

  it('at LeNet-300-100’s size and P_m 7.0% (12 rounds of the engine’s schedule): the same losses and weights as tfjs, pruned weights exactly 0', async () => {
    const config = DEFAULT_CONFIG; // LeNet-300-100, layer-wise pruning at the paper's rates
    const layers = config.model.layers;
    const theta0 = initialParams(layers, 21);
    // The per-layer counts the lecture reaches after 12 rounds (20% hidden, 10% output, a round),
    // kept by magnitude as one-shot pruning keeps them.
    const masks = pruneOneShot(config, theta0.weights, 12);
    expect(remainingFraction(masks)).toBeCloseTo(0.07, 3);
    const from = [
      ticketStart(theta0, masks),
      controlStart('reinit', layers, theta0, masks, new Rng(21, 'c', 1)),
    ];
    const run = async <T extends Trainer>(session: ComputeSession, trainer: T) => {
      trainer.load(from);
      const order = new BatchOrder(data.train.size, BATCH, 5);
      const losses: Float32Array[] = [];
      for (let s = 0; s < STEPS; s++) {
        const wait = trainer.step(order.indices(s), 1.2e-3);
        if (wait) await wait;
        losses.push(await trainer.takeTrainLoss());
      }
      return { session, trainer, losses, params: await params(trainer) };
    };
    const STEPS = 36;
    const kernelSession = one.open(data, layers, { batchSize: BATCH });
    const ours = await run(kernelSession, kernelSession.kernelTrainer(2, 'sparse'));
    // tfjs on its wasm backend: at this size its cpu backend takes ~0.25 s a step.
    await useNodeBackend('wasm');
    const refSession = tfCompute.open(data, layers, { batchSize: BATCH });
    const ref = await run(refSession, refSession.trainer(2));
    try {
      expect(ours.trainer.storages).toEqual(['sparse', 'sparse', 'sparse']);
      // Tolerances: float32 sums of up to 784 terms in another order (the sparse rows skip the
      // pruned terms, tfjs multiplies them by 0), compounded over 36 Adam steps. Measured: losses
      // 2e-7 apart, weights 8e-6 (relative to |w|, at least 0.01), held-out loss 4e-7; the bounds
      // leave 10–50× of room.
      ours.losses.forEach((l, i) => expect(maxRelDiff(l, ref.losses[i]!)).toBeLessThan(1e-5));
      ours.params.forEach((p, v) =>
        p.weights.forEach((w, l) => {
          expect(
            maxRelDiff(w, ref.params[v]!.weights[l]!, 1e-2),
            `variant ${v}, layer ${l}`,
          ).toBeLessThan(1e-4);
          const bits = from[v]!.masks[l]!.bits;
          let notZero = 0;
          w.forEach((x, i) => bits[i] || Object.is(x, 0) || notZero++);
          expect(notZero, `variant ${v}, layer ${l}: pruned weights not exactly 0`).toBe(0);
        }),
      );
      const [e, r] = [await ours.trainer.evaluate('test'), await ref.trainer.evaluate('test')];
      expect(maxRelDiff(e.loss, r.loss)).toBeLessThan(1e-5);
      // An argmax may flip on a near tie: at most one example of the split.
      expect(maxRelDiff(e.accuracy, r.accuracy, 1)).toBeLessThanOrEqual(1 / data.test.size + 1e-7);
    } finally {
      done(ours, ref);
      await tf.setBackend('cpu');
    }
  });

  it('refuses variants whose survivor counts differ (a lockstep round keeps counts)', async () => {
    const from = starts(12, 0.3);
    from[2] = ticketStart(from[2]!.params, randomMasks(LAYERS, 0.31, 99));
    const session = one.open(data, LAYERS, { batchSize: BATCH });
    const trainer = session.kernelTrainer(3, 'sparse');
    try {
      expect(() => trainer.load(from)).toThrow('survivors');
      // Nothing half-loaded is left to train on.
      expect(() =>
        trainer.step(new BatchOrder(data.train.size, BATCH, 0).indices(0), 1e-3),
      ).toThrow('load the variants first');
      // Unforced, a round whose variants keep different counts (a bimodal init's dense nets
      // beside the ticket) trains dense.
      trainer.dispose();
      const auto = session.kernelTrainer(3, 'auto');
      auto.load(from);
      // (The fma build's first layer trains lit there: a dense storage of its own.)
      expect(auto.storages).toEqual(['lit', 'dense', 'dense']);
      auto.dispose();
    } finally {
      trainer.dispose();
      session.dispose();
    }
  });
});
