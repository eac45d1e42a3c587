import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { type VariantStart, controlStart, initialParams, ticketStart } from './init';
import { Mask } from './mask';
import { StackedMlp } from './model';
import { Rng } from './rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});
import { TINY, bitsEqual, maxAbsDiff, randomBatch, randomMasks, train } from './model.testing';

describe('StackedMlp: load and read back', () => {
  it('round-trips K variants’ weights and biases through the stacked layout', async () => {
    const starts: VariantStart[] = [0, 1, 2].map((seed) => {
      const p = initialParams(TINY, seed);
      p.biases.forEach((b) => b.forEach((_, i) => (b[i] = seed + 0.001 * i)));
      return { masks: p.weights.map((w) => Mask.ones(w.length)), params: p };
    });
    const model = new StackedMlp(TINY, 3);
    model.load(starts);
    for (let v = 0; v < 3; v++) {
      const w = await model.readWeights(v);
      const b = await model.readBiases(v);
      w.forEach((wl, l) => expect(bitsEqual(wl, starts[v]!.params.weights[l]!)).toBe(true));
      b.forEach((bl, l) => expect(bitsEqual(bl, starts[v]!.params.biases[l]!)).toBe(true));
    }
    model.dispose();
  });

  it('rejects the wrong number of variants or wrongly sized weights', () => {
    const model = new StackedMlp(TINY, 2);
    const start = ticketStart(initialParams(TINY, 0), randomMasks(TINY, 1, 0));
    expect(() => model.load([start])).toThrow(/expected 2 variants, got 1/);
    const bad: VariantStart = {
      masks: start.masks,
      params: {
        weights: [new Float32Array(5), ...start.params.weights.slice(1)],
        biases: start.params.biases,
      },
    };
    expect(() => model.load([start, bad])).toThrow(/variant 1: 5 weights/);
    model.dispose();
  });
});

describe('StackedMlp: masks', () => {
  it('keeps pruned weights EXACTLY 0 through many Adam steps, for every variant', async () => {
    const theta0 = initialParams(TINY, 0);
    const masks = randomMasks(TINY, 0.3, 1);
    const starts = [
      ticketStart(theta0, masks),
      controlStart('reinit', TINY, theta0, masks, new Rng(0, 'c', 'reinit')),
      controlStart('rearrange', TINY, theta0, masks, new Rng(0, 'c', 'rearrange')),
      controlStart('random', TINY, theta0, masks, new Rng(0, 'c', 'random')),
    ];
    const model = new StackedMlp(TINY, starts.length);
    model.load(starts);
    train(model, 20, 1e-2, 0);
    for (let v = 0; v < starts.length; v++) {
      const w = await model.readWeights(v);
      const b = await model.readBiases(v);
      w.forEach((wl, l) => {
        const m = starts[v]!.masks[l]!;
        const w0 = starts[v]!.params.weights[l]!;
        let changed = 0;
        for (let i = 0; i < wl.length; i++) {
          if (!m.bits[i]) expect(wl[i] === 0).toBe(true);
          else if (wl[i] !== w0[i]) changed++;
        }
        // Unmasked weights train (some hang off a unit that a sparse mask left without inputs).
        expect(changed).toBeGreaterThan(0.75 * m.count);
      });
      b.forEach((bl) => expect(bl.some((x) => x !== 0)).toBe(true)); // biases are never pruned
    }
    model.dispose();
  });
});

describe('StackedMlp: training', () => {
  it('decreases the loss on a small learnable problem', async () => {
    // Labels from a random linear teacher; a fixed pool of 256 examples.
    const rng = new Rng(0, 'teacher');
    const n = 256;
    const teacher = Float32Array.from({ length: 784 * 10 }, () => rng.normal());
    const x = Float32Array.from({ length: n * 784 }, () => rng.normal());
    const labels = new Int32Array(n);
    for (let e = 0; e < n; e++) {
      let best = -Infinity;
      for (let c = 0; c < 10; c++) {
        let s = 0;
        for (let p = 0; p < 784; p++) s += x[e * 784 + p]! * teacher[p * 10 + c]!;
        if (s > best) {
          best = s;
          labels[e] = c;
        }
      }
    }
    const xs = tf.tensor2d(x, [n, 784]);
    const ls = tf.tensor1d(labels, 'int32');
    const ys = tf.oneHot(ls, 10) as tf.Tensor2D;
    const model = new StackedMlp(TINY, 1);
    model.load([ticketStart(initialParams(TINY, 0), randomMasks(TINY, 1, 0))]);
    const measure = async () => {
      const s = model.evaluate(xs, ls);
      const [loss, correct] = [(await s.lossSum.data())[0]! / n, (await s.correct.data())[0]! / n];
      tf.dispose([s.lossSum, s.correct]);
      return { loss, correct };
    };
    const before = await measure();
    const order = new Rng(0, 'order');
    for (let step = 0; step < 100; step++) {
      const idx = tf.tensor1d(
        Int32Array.from({ length: 32 }, () => order.int(n)),
        'int32',
      );
      const bx = tf.gather(xs, idx) as tf.Tensor2D;
      const by = tf.gather(ys, idx) as tf.Tensor2D;
      tf.dispose([model.trainStep(bx, by, 5e-3), idx, bx, by]);
    }
    const after = await measure();
    expect(before.loss).toBeGreaterThan(1.5);
    expect(after.loss).toBeLessThan(0.5 * before.loss);
    expect(after.correct).toBeGreaterThan(0.8);
    tf.dispose([xs, ls, ys]);
    model.dispose();
  });

  it('returns each variant’s mean batch loss measured before the update', async () => {
    const model = new StackedMlp(TINY, 2);
    model.load([
      ticketStart(initialParams(TINY, 0), randomMasks(TINY, 0.5, 0)),
      ticketStart(initialParams(TINY, 1), randomMasks(TINY, 0.5, 1)),
    ]);
    const { x, y, labels } = randomBatch(new Rng(1, 'b'), 24, 784, 10).tensors();
    const s = model.evaluate(x, labels);
    const expected = Array.from(await s.lossSum.data(), (v) => v / 24);
    const loss = model.trainStep(x, y, 1e-3);
    const got = Array.from(await loss.data());
    expect(got.length).toBe(2);
    expect(got[0]).not.toBeCloseTo(got[1]!, 3);
    got.forEach((g, v) => expect(g).toBeCloseTo(expected[v]!, 5));
    tf.dispose([x, y, labels, s.lossSum, s.correct, loss]);
    model.dispose();
  });

  it('trains variants independently: identical starts stay bit-identical', async () => {
    const start = ticketStart(initialParams(TINY, 0), randomMasks(TINY, 0.4, 2));
    const model = new StackedMlp(TINY, 2);
    model.load([start, start]);
    const losses = train(model, 15, 1e-2, 3);
    losses.forEach(([a, b]) => expect(a).toBe(b));
    const [w0, w1, b0, b1] = [
      await model.readWeights(0),
      await model.readWeights(1),
      await model.readBiases(0),
      await model.readBiases(1),
    ];
    w0.forEach((w, l) => expect(bitsEqual(w, w1[l]!)).toBe(true));
    b0.forEach((b, l) => expect(bitsEqual(b, b1[l]!)).toBe(true));
    // And they did train.
    expect(bitsEqual(w0[0]!, start.params.weights[0]!)).toBe(false);
    model.dispose();
  });

  it('trains variants independently: each of K=2 equals a K=1 model trained alone', async () => {
    const theta0 = initialParams(TINY, 0);
    const masks = randomMasks(TINY, 0.4, 3);
    const starts = [
      ticketStart(theta0, masks),
      controlStart('random', TINY, theta0, masks, new Rng(0, 'c')),
    ];
    const stacked = new StackedMlp(TINY, 2);
    stacked.load(starts);
    const lossesK = train(stacked, 15, 1e-2, 4);
    for (let v = 0; v < 2; v++) {
      const alone = new StackedMlp(TINY, 1);
      alone.load([starts[v]!]);
      const losses1 = train(alone, 15, 1e-2, 4);
      losses1.forEach(([l], s) => expect(Math.abs(l! - lossesK[s]![v]!)).toBeLessThan(1e-5));
      const [wk, w1] = [await stacked.readWeights(v), await alone.readWeights(0)];
      wk.forEach((w, l) => expect(maxAbsDiff(w, w1[l]!)).toBeLessThan(1e-5));
      const [bk, b1] = [await stacked.readBiases(v), await alone.readBiases(0)];
      bk.forEach((b, l) => expect(maxAbsDiff(b, b1[l]!)).toBeLessThan(1e-5));
      alone.dispose();
    }
    // The two variants did not end up alike.
    expect(
      maxAbsDiff((await stacked.readWeights(0))[2]!, (await stacked.readWeights(1))[2]!),
    ).toBeGreaterThan(1e-2);
    stacked.dispose();
  });

  it('load resets Adam: reloading a start and training again repeats the run', async () => {
    const start = ticketStart(initialParams(TINY, 5), randomMasks(TINY, 0.5, 5));
    const model = new StackedMlp(TINY, 1);
    model.load([start]);
    const first = train(model, 6, 1e-2, 7);
    const w1 = await model.readWeights(0);
    model.load([start]);
    expect(bitsEqual((await model.readWeights(0))[1]!, start.params.weights[1]!)).toBe(true);
    const second = train(model, 6, 1e-2, 7);
    const w2 = await model.readWeights(0);
    expect(second).toEqual(first);
    w1.forEach((w, l) => expect(bitsEqual(w, w2[l]!)).toBe(true));
    model.dispose();
  });
});

describe('StackedMlp: memory', () => {
  it('leaves no tensors behind across construct / load / train / evaluate / dispose cycles', async () => {
    const before = tf.memory().numTensors;
    const theta0 = initialParams(TINY, 0);
    for (let cycle = 0; cycle < 3; cycle++) {
      const masks = randomMasks(TINY, 0.5, cycle);
      const model = new StackedMlp(TINY, 2);
      model.load([
        ticketStart(theta0, masks),
        controlStart('reinit', TINY, theta0, masks, new Rng(cycle, 'r')),
      ]);
      const afterLoad = tf.memory().numTensors;
      model.load([ticketStart(theta0, masks), ticketStart(theta0, masks)]); // reloading does not grow either
      expect(tf.memory().numTensors).toBe(afterLoad);
      train(model, 3, 1e-3, cycle);
      expect(tf.memory().numTensors).toBe(afterLoad);
      const { x, y, labels } = randomBatch(new Rng(0, 'm'), 8, 784, 10).tensors();
      const s = model.evaluate(x, labels);
      tf.dispose([x, y, labels, s.lossSum, s.correct]);
      await model.readWeights(1);
      await model.readBiases(0);
      expect(tf.memory().numTensors).toBe(afterLoad);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
