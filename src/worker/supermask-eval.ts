/**
 * One point of the supermask slider (issue 16, Zhou et al. 2019): the one-shot mask at P_m from
 * the dense net's trained weights, applied to θ0 (the supermask, never trained) and to the trained
 * weights (pruned, not retrained), both evaluated on the run's test set as two variants of one
 * trainer of the run's own compute (the lab's SIMD kernels, or tfjs): the same forward pass that
 * measures every accuracy of a round.
 *
 * Where the time goes (LeNet-300-100, 10,000 test images, the kernels on two threads; measured in
 * docs/supermask-and-weights.md, bench/supermask.ts): the two forward passes, tens of ms at P_m 2%
 * to over half a second at 100%; sorting |weights| for the mask, as much as the passes at low P_m
 * (now a prefix of one ranking, MagnitudeRanking); opening a session of the test images, a few
 * ms. So while the slider moves it answers first on the test set's first PREVIEW_IMAGES images,
 * then on all of them once no newer request waits.
 */
import type { Compute, ComputeSession } from '../engine/compute';
import type { Split } from '../engine/data';
import { type Params, applyMasks } from '../engine/init';
import { remainingFraction } from '../engine/mask';
import { signsKept } from '../engine/supermask';
import type { MagnitudeRanking } from '../engine/supermask-ranking';
import type { SupermaskPoint } from './protocol';
import type { KeptRun } from './weights-keeper';

/**
 * Test images a slider request is answered on first, while the slider may still move: the first
 * 2,000 of the run's test set (a 95% interval of ±2.1 points at 60% accuracy, against ±1.0 on all
 * 10,000), in a fifth to a third of the time. The figure's points are always the whole test set's.
 */
export const PREVIEW_IMAGES = 2000;

/** The weights a point is computed from, and the generation they belong to (weights-keeper.ts). */
export interface SupermaskSource {
  run: KeptRun;
  dense: Params;
  ranking: MagnitudeRanking;
  generation: number;
}

/** A request was replaced by a newer one before its whole-test-set answer finished. */
export class Superseded extends Error {}

export interface PointOptions {
  /** The session holds the preview split as 'validation' (an idle session): answer it first. */
  preview?: (p: SupermaskPoint) => void;
  /** Called between chunks of the whole test set; throws Superseded to abandon it. */
  checkpoint?: () => void | Promise<void>;
}

/** The point at `pm` on the whole test set (after its preview, if asked); Superseded if replaced. */
export async function supermaskPoint(
  session: ComputeSession,
  source: SupermaskSource,
  pm: number,
  now: () => number,
  when: SupermaskPoint['when'],
  options: PointOptions = {},
): Promise<SupermaskPoint> {
  const { run, dense, ranking, generation } = source;
  const t0 = now();
  const masks = ranking.masksAt(pm);
  const trainer = session.trainer(2);
  try {
    trainer.load([
      { masks, params: applyMasks(run.theta0, masks) },
      { masks, params: applyMasks(dense, masks) },
    ]);
    const signs = signsKept(run.theta0.weights, dense.weights, masks);
    const point = (accuracy: Float32Array, testSize: number, preview: boolean) => ({
      pm,
      remaining: remainingFraction(masks),
      supermaskAccuracy: accuracy[0]!,
      prunedAccuracy: accuracy[1]!,
      testSize,
      preview,
      signs,
      ms: now() - t0,
      when,
      generation,
    });
    if (options.preview) {
      const { accuracy } = await trainer.evaluate('validation');
      options.preview(point(accuracy, previewSize(run.test), true));
    }
    const { accuracy } = await trainer.evaluate('test', options.checkpoint);
    return point(accuracy, run.test.size, false);
  } finally {
    trainer.dispose();
  }
}

const previewSize = (test: Split) => Math.min(PREVIEW_IMAGES, test.size);

/** Whether a request is worth a preview: the test set is larger than the preview. */
export const previews = (run: KeptRun): boolean => run.test.size > PREVIEW_IMAGES;

const empty = (like: Split): Split => ({
  images: new Uint8Array(0),
  labels: new Uint8Array(0),
  size: 0,
  table: like.table,
  scale: null,
});

/** The first `n` images of a split (the preview's), sharing its bytes. */
function first(s: Split, n: number): Split {
  const size = Math.min(n, s.size);
  return {
    images: s.images.subarray(0, (s.images.length / s.size) * size),
    labels: s.labels.subarray(0, size),
    size,
    table: s.table,
    scale: s.scale ? s.scale.subarray(0, size) : null,
  };
}

/**
 * A session holding the run's test images only, for evaluating while no run trains: the whole
 * test set as 'test' and its first PREVIEW_IMAGES as 'validation'.
 */
export function testSession(compute: Compute, run: KeptRun, evalChunk: number): ComputeSession {
  return compute.open(
    { train: empty(run.test), validation: first(run.test, PREVIEW_IMAGES), test: run.test },
    run.config.model.layers,
    { batchSize: run.config.training.batchSize, evalChunk },
  );
}
