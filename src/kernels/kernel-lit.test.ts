/**
 * Evaluation's first layer through the lit pixels (lit-first-layer.ts): the same losses and
 * accuracies as the dense tiles give, to float rounding, after every step (the weights it copies
 * are refreshed), on either storage, and the same bits on one thread and on two.
 */
import { describe, expect, it } from 'vitest';
import { BatchOrder } from '../engine/data';
import type { Evaluation } from '../engine/compute';
import type { KernelCompute } from './kernel-compute';
import {
  BATCH,
  LAYERS,
  data,
  maxRelDiff,
  one,
  starts,
  two,
  useKernels,
} from './kernel-compute.testing';
import { litPays } from './lit-first-layer';

useKernels();

/** Evaluations on both held-out sets after 0, 5 and 10 steps. */
async function evaluations(compute: KernelCompute, storage: 'dense' | 'sparse', lit: boolean) {
  const session = compute.open(data, LAYERS, { batchSize: BATCH });
  const trainer = session.kernelTrainer(3, storage, false, lit);
  try {
    trainer.load(starts(21, 0.6));
    expect(trainer.evaluatesLit).toBe(lit);
    const order = new BatchOrder(data.train.size, BATCH, 5);
    const out: Evaluation[] = [];
    for (let s = 0; s <= 10; s++) {
      if (s % 5 === 0)
        out.push(await trainer.evaluate('validation'), await trainer.evaluate('test'));
      trainer.step(order.indices(s), 3e-3);
    }
    return out;
  } finally {
    trainer.dispose();
    session.dispose();
  }
}

describe('evaluation through the lit pixels', () => {
  for (const storage of ['dense', 'sparse'] as const)
    it(`gives the dense tiles' losses and accuracies to rounding, step after step (${storage})`, async () => {
      const [tiles, lit] = [
        await evaluations(one, storage, false),
        await evaluations(one, storage, true),
      ];
      lit.forEach((e, i) => {
        expect(maxRelDiff(e.loss, tiles[i]!.loss, 1e-6), `evaluation ${i}`).toBeLessThan(1e-5);
        expect(Array.from(e.accuracy)).toEqual(Array.from(tiles[i]!.accuracy));
      });
      // Training moved the weights: a stale copy of them would have shown above.
      expect(tiles[4]!.loss[0]).not.toBe(tiles[0]!.loss[0]);
    });

  it("gives the same bits from the lists it keeps as from the first evaluation's own (which fills them)", async () => {
    const session = one.open(data, LAYERS, { batchSize: BATCH });
    const trainer = session.kernelTrainer(3, 'dense', false, true);
    try {
      trainer.load(starts(21, 0.6));
      const held = session.heldLit!.test;
      expect(held.filledTo).toBe(0);
      const first = await trainer.evaluate('test');
      // Every chunk kept, the last one partial (197 = 3 × 64 + 5).
      expect(held.filledTo).toBe(data.test.size);
      expect(await trainer.evaluate('test')).toEqual(first);
    } finally {
      trainer.dispose();
      session.dispose();
    }
  });

  it('gives the same bits on one thread and on two', async () => {
    expect(await evaluations(two, 'sparse', true)).toEqual(await evaluations(one, 'sparse', true));
    expect(await evaluations(two, 'dense', true)).toEqual(await evaluations(one, 'dense', true));
  });

  it('is taken where the lit pixels are fewer than what the layer would cost otherwise', () => {
    // MNIST lights 19% of its pixels.
    expect(litPays(0.19, { sparse: false, density: 1 })).toBe(true);
    expect(litPays(0.6, { sparse: false, density: 1 })).toBe(false);
    expect(litPays(0.19, { sparse: true, density: 0.21 })).toBe(true);
    expect(litPays(0.19, { sparse: true, density: 0.11 })).toBe(false);
  });
});
