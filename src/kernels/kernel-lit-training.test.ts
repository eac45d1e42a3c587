/**
 * The training step's first layer through the lit pixels (lit-layer.ts): the same losses, weights
 * and evaluations as the dense tiles, to float rounding, over many steps, on a shared batch and
 * on own batches; pruned weights stay exactly 0; the same bits on one thread and on two; and it
 * is taken only where it pays, in the fused multiply-add build.
 */
import { describe, expect, it } from 'vitest';
import { BatchOrder, type Dataset, splitMnist } from '../engine/data';
import { loadMnistFromDisk } from '../node-host/node-mnist';
import type { Evaluation } from '../engine/compute';
import type { Params } from '../engine/init';
import { nodeKernels } from '../node-host/node-kernels';
import type { KernelCompute } from './kernel-compute';
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
import { LIT_SPARSE_BELOW, type LayerStorage } from './layers';

useKernels();

const STEPS = 40;

interface Trace {
  losses: number[][];
  evaluations: Evaluation[];
  params: Params[];
  storages: string[];
}

/**
 * The fixtures' three variants at another shape: a first layer of 40 outputs is two of the lit
 * kernels' 32-output blocks, the second 16 wide (as LeNet-300-100's last), and K = 3 of them are
 * six units, which two threads split (the fixtures' 20 outputs are one block: three units, which
 * the calling thread runs alone).
 */
const WIDE = [784, 40, 12, 10];

/** STEPS steps of three variants at `density`, the first layer stored as `first`. */
async function train(
  compute: KernelCompute,
  first: LayerStorage,
  opts: { density?: number; own?: boolean; wide?: boolean; on?: Dataset } = {},
): Promise<Trace> {
  const layers = opts.wide ? WIDE : LAYERS;
  const session = compute.open(opts.on ?? data, layers, { batchSize: BATCH });
  const own = opts.own ?? false;
  const trainer = session.kernelTrainer(3, [first, 'dense', 'dense'], own);
  try {
    const density = opts.density ?? 0.6;
    trainer.load(starts(7, density, 7, layers));
    const size = (opts.on ?? data).train.size;
    const orders = [0, 1, 2].map((s) => new BatchOrder(size, BATCH, 11 + s));
    const losses: number[][] = [];
    const evaluations: Evaluation[] = [];
    for (let s = 0; s < STEPS; s++) {
      const batch = own ? orders.map((o) => o.indices(s)) : orders[0]!.indices(s);
      trainer.step(batch, 3e-3);
      if (s % 10 === 9) {
        losses.push(Array.from(await trainer.takeTrainLoss()));
        evaluations.push(await trainer.evaluate('validation'));
      }
    }
    return { losses, evaluations, params: await params(trainer), storages: trainer.storages };
  } finally {
    trainer.dispose();
    session.dispose();
  }
}

function expectClose(lit: Trace, tiles: Trace) {
  expect(lit.storages[0]).toBe('lit');
  expect(tiles.storages[0]).toBe('dense');
  lit.losses.forEach((l, i) => expect(maxRelDiff(l, tiles.losses[i]!, 1e-6)).toBeLessThan(1e-4));
  lit.evaluations.forEach((e, i) => {
    expect(maxRelDiff(e.loss, tiles.evaluations[i]!.loss, 1e-6)).toBeLessThan(1e-4);
  });
  lit.params.forEach((p, v) =>
    p.weights.forEach((w, l) =>
      expect(
        maxRelDiff(w, tiles.params[v]!.weights[l]!, 1e-2),
        `variant ${v}, layer ${l}`,
      ).toBeLessThan(2e-3),
    ),
  );
}

describe('the training step through the lit pixels', () => {
  it("follows the dense tiles' trajectory to rounding, on one batch for all", async () => {
    expectClose(await train(one, 'lit'), await train(one, 'dense'));
  });

  it('and on each variant’s own batches (trials in lockstep)', async () => {
    expectClose(await train(one, 'lit', { own: true }), await train(one, 'dense', { own: true }));
  });

  it('keeps pruned weights exactly 0 and moves the survivors', async () => {
    const lit = await train(one, 'lit', { density: 0.3 });
    const s = starts(7, 0.3);
    lit.params.forEach((p, v) => {
      const w = p.weights[0]!;
      const bits = s[v]!.masks[0]!.bits;
      let moved = 0;
      for (let i = 0; i < w.length; i++) {
        if (!bits[i]) expect(w[i]).toBe(0);
        else if (w[i] !== s[v]!.params.weights[0]![i]) moved++;
      }
      expect(moved).toBeGreaterThan(0.9 * s[v]!.masks[0]!.count);
    });
  });

  it('gives the same bits on one thread and on two', async () => {
    expect(await train(two, 'lit')).toEqual(await train(one, 'lit'));
    expect(await train(two, 'lit', { own: true })).toEqual(await train(one, 'lit', { own: true }));
  });

  it('at two blocks of outputs, the second 16 wide, split across two threads: as the tiles, the same bits', async () => {
    const lit = await train(one, 'lit', { wide: true });
    expectClose(lit, await train(one, 'dense', { wide: true }));
    expect(await train(two, 'lit', { wide: true })).toEqual(lit);
    const own = await train(one, 'lit', { wide: true, own: true });
    expectClose(own, await train(one, 'dense', { wide: true, own: true }));
    expect(await train(two, 'lit', { wide: true, own: true })).toEqual(own);
  });

  it('on inputs scaled per image (l2): as the tiles', async () => {
    const l2 = splitMnist(loadMnistFromDisk(), {
      trainSize: 3000,
      validationSize: 130,
      testSize: 197,
      task: 'mnist',
      inputs: 'l2',
    });
    expect(l2.train.scale).not.toBeNull();
    expectClose(await train(one, 'lit', { on: l2 }), await train(one, 'dense', { on: l2 }));
  });

  it('evaluates a lit first layer through its own blocks even where evaluation was told to use the tiles', async () => {
    const evaluate = async (litEval: boolean) => {
      const session = one.open(data, LAYERS, { batchSize: BATCH });
      const trainer = session.kernelTrainer(3, ['lit', 'dense', 'dense'], false, litEval);
      try {
        trainer.load(starts(7));
        trainer.step(new BatchOrder(data.train.size, BATCH, 3).indices(0), 3e-3);
        expect(trainer.evaluatesLit).toBe(true);
        return await trainer.evaluate('test');
      } finally {
        trainer.dispose();
        session.dispose();
      }
    };
    expect(await evaluate(false)).toEqual(await evaluate(true));
  });

  it('is taken by the fused multiply-add build where sparse storage would not pay, never by the plain build', async () => {
    const plain = await nodeKernels(1, 'plain');
    try {
      const storages = async (compute: KernelCompute, density: number) => {
        const session = compute.open(data, LAYERS, { batchSize: BATCH });
        const trainer = session.kernelTrainer(3, 'auto');
        try {
          trainer.load(starts(7, density));
          return trainer.storages[0];
        } finally {
          trainer.dispose();
          session.dispose();
        }
      };
      expect(one.arithmetic).toBe('fma');
      expect(await storages(one, 1)).toBe('lit');
      expect(await storages(one, LIT_SPARSE_BELOW + 0.05)).toBe('lit');
      expect(await storages(one, LIT_SPARSE_BELOW - 0.05)).toBe('sparse');
      expect(await storages(plain, 1)).toBe('dense');
    } finally {
      plain.dispose();
    }
  });
});
