import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core alone registers no gradients; tf.grads (the reference) needs them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Params, type VariantStart, initialParams, ticketStart } from './init';
import { StackedMlp } from './model';
import { Rng } from './rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});
import { maxAbsDiff, randomBatch, randomMasks } from './model.testing';

describe('StackedMlp: the hand-written backward pass and Adam', () => {
  /** Reference loss: the same MLP from tf ops, differentiated by tf.grads. */
  function referenceLossAndGrads(
    layers: readonly number[],
    p: Params,
    x: tf.Tensor2D,
    y: tf.Tensor2D,
  ): { loss: number; grads: Float32Array[] } {
    const n = layers.length - 1;
    const f = (...ts: tf.Tensor[]) => {
      let h: tf.Tensor = x;
      for (let l = 0; l < n; l++) {
        const z = tf.add(tf.matMul(h as tf.Tensor2D, ts[2 * l] as tf.Tensor2D), ts[2 * l + 1]!);
        h = l === n - 1 ? z : tf.relu(z);
      }
      return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(h), y), 1)));
    };
    return tf.tidy(() => {
      const args = p.weights.flatMap((w, l) => [
        tf.tensor2d(w, [layers[l]!, layers[l + 1]!]),
        tf.tensor1d(p.biases[l]!),
      ]);
      const grads = tf.grads(f)(args);
      const loss = f(...args).dataSync()[0]!;
      return { loss, grads: grads.map((g) => g.dataSync() as Float32Array) };
    });
  }

  /**
   * Textbook Adam (Kingma & Ba) with ε = 1e-8 (PyTorch's), in float64, the mask applied to weight
   * gradients.
   */
  function referenceTrain(
    layers: readonly number[],
    start: VariantStart,
    batches: { x: tf.Tensor2D; y: tf.Tensor2D }[],
    lr: number,
  ) {
    const p: Params = {
      weights: start.params.weights.map((w) => w.slice()),
      biases: start.params.biases.map((b) => b.slice()),
    };
    const flat = () => p.weights.flatMap((w, l) => [w, p.biases[l]!]);
    const master = flat().map((a) => Float64Array.from(a));
    const m = master.map((a) => new Float64Array(a.length));
    const v = master.map((a) => new Float64Array(a.length));
    const losses: number[] = [];
    batches.forEach(({ x, y }, s) => {
      const t = s + 1;
      const { loss, grads } = referenceLossAndGrads(layers, p, x, y);
      losses.push(loss);
      grads.forEach((g, j) => {
        const mask = j % 2 === 0 ? start.masks[j / 2]!.bits : null;
        for (let i = 0; i < g.length; i++) {
          const gi = mask && !mask[i] ? 0 : g[i]!;
          m[j]![i] = 0.9 * m[j]![i]! + 0.1 * gi;
          v[j]![i] = 0.999 * v[j]![i]! + 0.001 * gi * gi;
          const mHat = m[j]![i]! / (1 - 0.9 ** t);
          const vHat = v[j]![i]! / (1 - 0.999 ** t);
          master[j]![i]! -= (lr * mHat) / (Math.sqrt(vHat) + 1e-8);
        }
      });
      flat().forEach((a, j) => a.set(master[j]!));
    });
    return { params: p, losses };
  }

  it('matches tf.grads of the same loss followed by textbook Adam, for each of K=2 variants', async () => {
    const layers = [6, 5, 4, 3];
    const starts = [0, 1].map((seed) => {
      const p = initialParams(layers, seed);
      p.biases.forEach((b) => b.forEach((_, i) => (b[i] = 0.05 * (i - 1))));
      return ticketStart(p, randomMasks(layers, 0.7, seed));
    });
    const rng = new Rng(11, 'grad-data');
    const batches = Array.from({ length: 5 }, () => randomBatch(rng, 7, 6, 3).tensors());
    const lr = 1e-2;
    const model = new StackedMlp(layers, 2);
    model.load(starts);
    const losses = batches.map(({ x, y }) => {
      const l = model.trainStep(x, y, lr);
      const out = Array.from(l.dataSync());
      l.dispose();
      return out;
    });
    for (let v = 0; v < 2; v++) {
      const ref = referenceTrain(layers, starts[v]!, batches, lr);
      // Agreement is at float32 rounding (~6e-8 here); 1e-6 leaves room for it and little else,
      // so ε (1e-8, not tfjs's 1e-7) and the bias-correction terms are pinned too.
      ref.losses.forEach((l, s) => expect(Math.abs(l - losses[s]![v]!)).toBeLessThan(1e-6));
      const w = await model.readWeights(v);
      const b = await model.readBiases(v);
      w.forEach((wl, l) => {
        expect(maxAbsDiff(wl, ref.params.weights[l]!)).toBeLessThan(1e-6);
        // The comparison has teeth: the weights moved by far more than the tolerance.
        expect(maxAbsDiff(wl, starts[v]!.params.weights[l]!)).toBeGreaterThan(1e-2);
      });
      b.forEach((bl, l) => expect(maxAbsDiff(bl, ref.params.biases[l]!)).toBeLessThan(1e-6));
    }
    batches.forEach(({ x, y, labels }) => tf.dispose([x, y, labels]));
    model.dispose();
  });

  it('evaluate sums each variant’s cross-entropy and counts its correct predictions', async () => {
    const layers = [6, 5, 4, 3];
    const starts = [0, 1].map((seed) =>
      ticketStart(initialParams(layers, seed), randomMasks(layers, 1, seed)),
    );
    const { x, y, labels } = randomBatch(new Rng(3, 'eval'), 50, 6, 3).tensors();
    const model = new StackedMlp(layers, 2);
    model.load(starts);
    const s = model.evaluate(x, labels);
    const [lossSum, correct] = [await s.lossSum.data(), await s.correct.data()];
    for (let v = 0; v < 2; v++) {
      const ref = referenceLossAndGrads(layers, starts[v]!.params, x, y);
      expect(lossSum[v]! / 50).toBeCloseTo(ref.loss, 5);
      // Correct count from the reference logits.
      const refCorrect = tf.tidy(() => {
        let h: tf.Tensor2D = x;
        starts[v]!.params.weights.forEach((w, l) => {
          const z = tf.add(
            tf.matMul(h, tf.tensor2d(w, [layers[l]!, layers[l + 1]!])),
            tf.tensor1d(starts[v]!.params.biases[l]!),
          ) as tf.Tensor2D;
          h = l === 2 ? z : tf.relu(z);
        });
        return tf.sum(tf.cast(tf.equal(tf.argMax(h, 1), labels), 'int32')).dataSync()[0]!;
      });
      expect(correct[v]).toBe(refCorrect);
    }
    expect(correct[0]).not.toBe(correct[1]); // different variants, different answers
    tf.dispose([x, y, labels, s.lossSum, s.correct]);
    model.dispose();
  });
});
