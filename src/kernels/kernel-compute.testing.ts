/**
 * Fixtures shared by the kernel tests (kernel-compute.test.ts, kernel-sparse.test.ts): the
 * MNIST slice, a one-thread and a two-thread kernel compute, the variants a round starts from,
 * and comparisons.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, expect } from 'vitest';
import { loadMnistFromDisk } from '../node-host/node-mnist';
import { nodeKernels } from '../node-host/node-kernels';
import type { Trainer } from '../engine/compute';
import { type Dataset, splitMnist } from '../engine/data';
import { type VariantStart, controlStart, initialParams, ticketStart } from '../engine/init';
import { randomMasks } from '../engine/model.testing';
import { Rng } from '../engine/rng';
import type { KernelCompute } from './kernel-compute';

export const LAYERS = [784, 20, 12, 10];
export const BATCH = 30;
// Set by useKernels()'s beforeAll; read through the import's live binding.
export let data: Dataset;
export let one: KernelCompute;
export let two: KernelCompute;

/** Registers the hooks that load the data and start the two kernel computes, then end them. */
export function useKernels() {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
    data = splitMnist(loadMnistFromDisk(), {
      trainSize: 3000,
      validationSize: 130,
      testSize: 197,
      task: 'mnist',
      inputs: 'meanstd',
    });
    [one, two] = await Promise.all([nodeKernels(1), nodeKernels(2)]);
  });

  afterAll(() => {
    one?.dispose();
    two?.dispose();
  });
}

/**
 * The ticket with random masks, and the reinit and rearrange controls at its masks: θ0 from
 * `seed`, the masks from `maskSeed` (the same by default; trials share their counts, not θ0).
 */
export function starts(
  seed: number,
  density = 0.6,
  maskSeed = seed,
  layers: readonly number[] = LAYERS,
): VariantStart[] {
  const theta0 = initialParams(layers, seed);
  const masks = randomMasks(layers, density, maskSeed);
  return [
    ticketStart(theta0, masks),
    controlStart('reinit', layers, theta0, masks, new Rng(seed, 'c', 1)),
    controlStart('rearrange', layers, theta0, masks, new Rng(seed, 'c', 2)),
  ];
}
export async function params(trainer: Trainer) {
  return Promise.all(Array.from({ length: trainer.k }, (_, v) => trainer.readParams(v)));
}

export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++)
    d = Math.max(d, Math.abs(a[i]! - b[i]!) / Math.max(floor, Math.abs(b[i]!)));
  return d;
}
