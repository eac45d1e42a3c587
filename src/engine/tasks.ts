/**
 * Tasks made on the device from MNIST's own bytes, so no download is needed (issue 16): a fixed
 * seeded pixel permutation (the permuted-MNIST of continual learning), digits turned a quarter
 * turn, and inverted digits. A ticket found on one can be trained on another (Morcos et al. 2019
 * asked whether tickets transfer).
 */
import type { TaskName } from './config';
import { Rng } from './rng';

const SIDE = 28;
const IMAGE = SIDE * SIDE;

/** The seed of the permuted task's pixel order: one fixed order, whatever the run's seed. */
export const PERMUTED_TASK_SEED = 1234;

/** Where each pixel of the permuted task comes from: out[p] = in[order[p]]. */
export function taskPermutation(): Uint32Array {
  return new Rng(PERMUTED_TASK_SEED, 'task', 'permuted').permutation(IMAGE);
}

/**
 * The images of `task`: MNIST's own bytes (no copy), or a transformed copy: the pixels in the
 * permuted task's fixed order, each digit turned a quarter turn clockwise, or 255 − p.
 */
export function taskImages(images: Uint8Array, task: TaskName): Uint8Array {
  if (task === 'mnist') return images;
  const out = new Uint8Array(images.length);
  const n = images.length / IMAGE;
  const order = task === 'permuted' ? taskPermutation() : null;
  for (let e = 0; e < n; e++) {
    const at = e * IMAGE;
    for (let p = 0; p < IMAGE; p++) {
      let from = p;
      if (order) from = order[p]!;
      else if (task === 'rotated') {
        // Clockwise: the output's row r, column c shows the input's row (27 − c), column r.
        const r = Math.floor(p / SIDE);
        const c = p % SIDE;
        from = (SIDE - 1 - c) * SIDE + r;
      }
      const v = images[at + from]!;
      out[at + p] = task === 'inverted' ? 255 - v : v;
    }
  }
  return out;
}
