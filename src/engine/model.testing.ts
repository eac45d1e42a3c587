/** Fixtures shared by the StackedMlp tests (random batches and masks, comparisons). */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { weightSizes } from './init';
import { Mask } from './mask';
import type { StackedMlp } from './model';
import { Rng } from './rng';
export const TINY = [784, 16, 8, 10];

/** Random inputs N(0, 1) and labels, as arrays and as tensors the caller disposes. */
export function randomBatch(rng: Rng, size: number, width: number, classes: number) {
  const x = Float32Array.from({ length: size * width }, () => rng.normal());
  const labels = Int32Array.from({ length: size }, () => rng.int(classes));
  const y = new Float32Array(size * classes);
  labels.forEach((c, b) => (y[b * classes + c] = 1));
  return {
    x,
    labels,
    y,
    tensors: () => ({
      x: tf.tensor2d(x, [size, width]),
      y: tf.tensor2d(y, [size, classes]),
      labels: tf.tensor1d(labels, 'int32'),
    }),
  };
}

export function randomMasks(layers: readonly number[], density: number, seed: number): Mask[] {
  const rng = new Rng(seed, 'model-test-mask');
  return weightSizes(layers).map(
    (n) => new Mask(Uint8Array.from({ length: n }, () => (rng.uniform() < density ? 1 : 0))),
  );
}

/** Runs `steps` Adam steps on fixed random batches; returns the per-step losses [step][variant]. */
export function train(
  model: StackedMlp,
  steps: number,
  lr: number,
  seed: number,
  batchSize = 32,
): number[][] {
  const rng = new Rng(seed, 'model-test-data');
  const width = model.layers[0]!;
  const classes = model.layers[model.layers.length - 1]!;
  const losses: number[][] = [];
  for (let s = 0; s < steps; s++) {
    const { x, y, labels } = randomBatch(rng, batchSize, width, classes).tensors();
    const loss = model.trainStep(x, y, lr);
    losses.push(Array.from(loss.dataSync()));
    tf.dispose([x, y, labels, loss]);
  }
  return losses;
}

export const bitsEqual = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}
