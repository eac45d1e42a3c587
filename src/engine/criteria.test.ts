/**
 * Mask criteria (issue 16): each keeps the schedule's exact counts and only shrinks masks; each
 * score is what its paper defines (SNIP's gradient against tfjs's autodiff, SynFlow's
 * conservation of path flow layer by layer); the criteria at initialisation choose masks no
 * training can change; and a whole run prunes by the criterion its config names.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { CRITERIA, type CriterionName } from './config';
import { SCORES, type ScoreInputs, pruneByCriterion } from './criteria';
import { BatchOrder, CLASSES, IMAGE_SIZE, fillBatch } from './data';
import { Experiment } from './experiment';
import { TINY, data, tiny, useTinyData } from './experiment.testing';
import { initialParams, weightSizes } from './init';
import { Mask, assertShrinks } from './mask';
import { PRUNERS, pruneOneShot, scheduledLayerCounts } from './prune';
import { Rng } from './rng';
import { snipGradients, synflowScores } from './saliency';

useTinyData();
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const LAYERS = TINY.model.layers;
const SIZES = weightSizes(LAYERS);

function inputs(patch: Partial<ScoreInputs> = {}): ScoreInputs {
  const start = initialParams(LAYERS, 3);
  const rng = new Rng(5, 'trained');
  return {
    layers: LAYERS,
    trained: start.weights.map((w) => w.map((v) => v + 0.05 * rng.normal())),
    start,
    masks: SIZES.map((n) => Mask.ones(n)),
    data,
    batch: new BatchOrder(data.train.size, 20, 3).indices(0).slice(),
    ...patch,
  };
}

describe('every criterion', () => {
  for (const criterion of CRITERIA)
    it(`${criterion}: the schedule's exact counts, round after round, masks only shrinking`, () => {
      const config = tiny({ pruning: { criterion } });
      let masks = SIZES.map((n) => Mask.ones(n));
      for (let r = 1; r <= 3; r++) {
        const next = pruneByCriterion(config, inputs({ masks }), r);
        assertShrinks(next, masks);
        expect(next.map((m) => m.count)).toEqual(scheduledLayerCounts(config, SIZES, r));
        masks = next;
      }
    });

  it('magnitude through the registry is the paper’s pruner, iterative and one-shot', () => {
    const i = inputs();
    const config = tiny();
    expect(pruneByCriterion(config, i, 1)).toEqual(PRUNERS.layer(config, i.trained, i.masks));
    const oneShot = tiny({ pruning: { method: 'oneShot' } });
    expect(pruneByCriterion(oneShot, i, 3)).toEqual(pruneOneShot(oneShot, i.trained, 3));
  });

  it('scores what each names: |w_T| − |w_0|, |w_T − w_0|, |w_0|', () => {
    const one = (w: number[]) => [Float32Array.from(w)];
    const i = {
      ...inputs(),
      trained: one([0.5, -0.1, 0.3, -0.9]),
      start: { weights: one([0.1, -0.4, -0.3, -0.8]), biases: [new Float32Array(2)] },
    };
    const got = (c: CriterionName) => Array.from(SCORES[c](i)[0]!);
    const close = (a: number[], b: number[]) =>
      a.forEach((v, k) => expect(v).toBeCloseTo(b[k]!, 6));
    close(got('magnitude_increase'), [0.4, -0.3, 0, 0.1]);
    close(got('movement'), [0.4, 0.3, 0.6, 0.1]);
    close(got('large_init'), [0.1, 0.4, 0.3, 0.8]);
    close(got('magnitude'), [0.5, 0.1, 0.3, 0.9]);
  });
});

describe('scores at initialisation', () => {
  it('SNIP’s gradient is tfjs’s autodiff of the masked net’s mean cross-entropy', () => {
    const i = inputs();
    i.masks = SIZES.map((n, l) => {
      const rng = new Rng(l, 'mask');
      return new Mask(Uint8Array.from({ length: n }, () => (rng.uniform() < 0.7 ? 1 : 0)));
    });
    const ours = snipGradients(i.start, i.masks, data.train, i.batch);
    const x = new Float32Array(i.batch.length * IMAGE_SIZE);
    const y = new Float32Array(i.batch.length * CLASSES);
    fillBatch(data.train, i.batch, x, y);
    const ws = i.start.weights.map((w, l) =>
      tf.tensor2d(
        w.map((v, k) => (i.masks[l]!.bits[k] ? v : 0)),
        [LAYERS[l]!, LAYERS[l + 1]!],
      ),
    );
    const loss = (...w: tf.Tensor[]) => {
      let h: tf.Tensor = tf.tensor2d(x, [i.batch.length, IMAGE_SIZE]);
      w.forEach((wl, l) => {
        h = tf.add(tf.matMul(h as tf.Tensor2D, wl as tf.Tensor2D), tf.tensor1d(i.start.biases[l]!));
        if (l < w.length - 1) h = tf.relu(h);
      });
      const logp = tf.logSoftmax(h);
      return tf.neg(tf.mean(tf.sum(tf.mul(logp, tf.tensor2d(y, [i.batch.length, CLASSES])), 1)));
    };
    const grads = tf.grads(loss)(ws);
    grads.forEach((g, l) => {
      const theirs = g.dataSync();
      let worst = 0;
      let scale = 0;
      for (let k = 0; k < theirs.length; k++) {
        worst = Math.max(worst, Math.abs(theirs[k]! - ours[l]![k]!));
        scale = Math.max(scale, Math.abs(theirs[k]!));
      }
      expect(scale).toBeGreaterThan(0);
      expect(worst).toBeLessThan(1e-5 * Math.max(1, scale));
    });
    tf.dispose([...ws, ...grads]);
  });

  it('SynFlow conserves flow: every layer’s scores sum to the same R, and pruned weights score 0', () => {
    const masks = SIZES.map((n) => Mask.ones(n));
    masks[1] = new Mask(Uint8Array.from({ length: SIZES[1]! }, (_, k) => (k % 3 ? 1 : 0)));
    const i = inputs({ masks });
    const s = synflowScores(LAYERS, i.start.weights, i.masks);
    const sums = s.map((layer) => layer.reduce((a, v) => a + v, 0));
    for (const sum of sums) expect(sum / sums[0]!).toBeCloseTo(1, 4);
    s[1]!.forEach((v, k) => {
      if (k % 3 === 0) expect(v).toBe(0);
    });
  });

  for (const criterion of ['large_init', 'snip', 'synflow'] as const)
    it(`${criterion} chooses masks training cannot change; magnitude’s follow training`, async () => {
      const masksOf = async (c: CriterionName, learningRate: number) => {
        const e = new Experiment(
          tiny({ pruning: { criterion: c, rounds: 2, controls: [] }, training: { learningRate } }),
          data,
        );
        try {
          const run = await e.run();
          expect(run.config.pruning.criterion).toBe(c);
          return e.ticketMasks.map((m) => Array.from(m.bits));
        } finally {
          e.dispose();
        }
      };
      expect(await masksOf(criterion, 1e-3)).toEqual(await masksOf(criterion, 1e-2));
      expect(await masksOf('magnitude', 1e-3)).not.toEqual(await masksOf('magnitude', 1e-2));
    });
});
