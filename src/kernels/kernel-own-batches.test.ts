/**
 * A trainer whose variants each take their own batch (trials in lockstep): each variant trains
 * bit for bit as it would alone on its batches, on one thread or two, dense or sparse, and a
 * trainer given the same batch for every variant trains as the shared-batch trainer does.
 */
import { describe, expect, it } from 'vitest';
import type { Batch, Trainer } from '../engine/compute';
import { BatchOrder } from '../engine/data';
import type { VariantStart } from '../engine/init';
import type { KernelCompute } from './kernel-compute';
import { KernelSession } from './kernel-compute';
import {
  BATCH,
  LAYERS,
  data,
  one,
  params,
  starts,
  two,
  useKernels,
} from './kernel-compute.testing';

useKernels();

const STEPS = 12;

/** What a trainer made by `make` reaches from `from` on `batchAt`: losses, weights, evaluation. */
async function run(
  compute: KernelCompute,
  from: VariantStart[],
  batchAt: (s: number) => Batch,
  make: (session: KernelSession) => Trainer,
) {
  const session = compute.open(data, LAYERS, { batchSize: BATCH, evalChunk: 50 }) as KernelSession;
  const trainer = make(session);
  try {
    trainer.load(from);
    const first = await trainer.batchLoss(batchAt(0));
    const losses: Float32Array[] = [];
    for (let s = 0; s < STEPS; s++) {
      trainer.step(batchAt(s), 3e-3);
      losses.push(await trainer.takeTrainLoss());
    }
    return { first, losses, params: await params(trainer), test: await trainer.evaluate('test') };
  } finally {
    trainer.dispose();
    session.dispose();
  }
}

/** Variant v of a run, as a run of one variant would report it. */
const variant = (r: Awaited<ReturnType<typeof run>>, v: number) => ({
  first: r.first[v],
  losses: r.losses.map((l) => l[v]),
  params: r.params[v],
  test: [r.test.loss[v], r.test.accuracy[v]],
});

describe('own batches on the kernels', () => {
  for (const storage of ['dense', 'sparse'] as const)
    it(`each variant trains on its own data order as it would alone (${storage}, one and two threads)`, async () => {
      // Two trials of three variants: trial t's variants share trial t's data order. Sparse
      // storage lays out every variant of a layer with the same number of survivors, as the
      // trials of a round have (exact counts): here, the same masks over another θ0.
      const from = [...starts(1, 0.5), ...starts(2, 0.5, 1)];
      const orders = [
        new BatchOrder(data.train.size, BATCH, 11),
        new BatchOrder(data.train.size, BATCH, 12),
      ];
      const batchAt = (s: number) => from.map((_, v) => orders[Math.floor(v / 3)]!.indices(s));
      const lockstep = await run(one, from, batchAt, (s) => s.kernelTrainer(6, storage, true));
      expect(await run(two, from, batchAt, (s) => s.kernelTrainer(6, storage, true))).toEqual(
        lockstep,
      );
      for (let v = 0; v < 6; v++) {
        const order = orders[Math.floor(v / 3)]!;
        const alone = await run(
          one,
          [from[v]!],
          (s) => order.indices(s),
          (s) => s.kernelTrainer(1, storage),
        );
        expect(variant(lockstep, v)).toEqual(variant(alone, 0));
      }
      // The same starting points on two data orders train apart: each variant saw its own batches.
      const twins = [...starts(1, 0.5), ...starts(1, 0.5)];
      const apart = await run(one, twins, batchAt, (s) => s.kernelTrainer(6, storage, true));
      expect(apart.losses[0]![0]).not.toBe(apart.losses[0]![3]);
      const together = await run(
        one,
        twins,
        (s) => orders[0]!.indices(s),
        (s) => s.kernelTrainer(6, storage),
      );
      expect(together.losses[0]![0]).toBe(together.losses[0]![3]);
    });

  it('given one batch for every variant, trains as the shared-batch trainer does', async () => {
    const from = starts(3);
    const order = new BatchOrder(data.train.size, BATCH, 5);
    const shared = await run(
      one,
      from,
      (s) => order.indices(s),
      (s) => s.trainer(3),
    );
    const own = await run(
      one,
      from,
      (s) => from.map(() => order.indices(s)),
      (s) => s.trainer(3, { ownBatches: true }),
    );
    expect(own).toEqual(shared);
  });

  it('refuses a batch list of the wrong length or of unequal batches, and a list given to a shared trainer', () => {
    const session = one.open(data, LAYERS, { batchSize: BATCH }) as KernelSession;
    try {
      const order = new BatchOrder(data.train.size, BATCH, 5);
      const own = session.trainer(3, { ownBatches: true });
      own.load(starts(4));
      expect(() => own.step([order.indices(0), order.indices(1)], 1e-3)).toThrow(
        /one batch for each of its 3 variants/,
      );
      expect(() =>
        own.step([order.indices(0), order.indices(1), order.indices(2).subarray(1)], 1e-3),
      ).toThrow(/variant 2's batch of 29: every batch must hold the same 30/);
      own.dispose();
      const shared = session.trainer(3);
      shared.load(starts(4));
      expect(() =>
        shared.step([order.indices(0), order.indices(0), order.indices(0)], 1e-3),
      ).toThrow(/takes no batch per variant/);
      shared.dispose();
    } finally {
      session.dispose();
    }
  });
});
