/**
 * One point of the supermask slider (issue 16, Zhou et al. 2019): the one-shot mask at P_m from
 * the dense net's trained weights, applied to θ0 (the supermask, never trained) and to the trained
 * weights (pruned, not retrained), both evaluated on the run's test set as two variants of one
 * trainer of the run's own compute (the lab's SIMD kernels, or tfjs): the same forward pass that
 * measures every accuracy of a round.
 */
import type { Compute, ComputeSession } from '../engine/compute';
import type { Split } from '../engine/data';
import { type Params, applyMasks } from '../engine/init';
import { remainingFraction } from '../engine/mask';
import { oneShotMasks, signsKept } from '../engine/supermask';
import type { SupermaskPoint } from './protocol';
import type { KeptRun } from './weights-keeper';

export async function supermaskPoint(
  session: ComputeSession,
  run: KeptRun,
  dense: Params,
  pm: number,
  now: () => number,
  when: SupermaskPoint['when'],
): Promise<SupermaskPoint> {
  const t0 = now();
  const masks = oneShotMasks(run.config, dense.weights, pm);
  const trainer = session.trainer(2);
  try {
    trainer.load([
      { masks, params: applyMasks(run.theta0, masks) },
      { masks, params: applyMasks(dense, masks) },
    ]);
    const { accuracy } = await trainer.evaluate('test');
    return {
      pm,
      remaining: remainingFraction(masks),
      supermaskAccuracy: accuracy[0]!,
      prunedAccuracy: accuracy[1]!,
      testSize: run.test.size,
      signs: signsKept(run.theta0.weights, dense.weights, masks),
      ms: now() - t0,
      when,
    };
  } finally {
    trainer.dispose();
  }
}

const empty = (like: Split): Split => ({
  images: new Uint8Array(0),
  labels: new Uint8Array(0),
  size: 0,
  table: like.table,
  scale: null,
});

/** A session holding the run's test images only, for evaluating while no run trains. */
export function testSession(compute: Compute, run: KeptRun, evalChunk: number): ComputeSession {
  return compute.open(
    { train: empty(run.test), validation: empty(run.test), test: run.test },
    run.config.model.layers,
    { batchSize: run.config.training.batchSize, evalChunk },
  );
}
