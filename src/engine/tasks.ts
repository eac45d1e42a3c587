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
 * Where each input of `task` reads its pixel in the digit (row-major 28×28): input p shows the
 * digit's pixel sources[p]. MNIST and inverted digits keep the layout; the permuted task reads
 * its fixed order; a rotated digit is turned a quarter turn clockwise, so its row r, column c
 * shows the digit's row (27 − c), column r.
 */
export function inputSources(task: TaskName): Uint32Array {
  if (task === 'permuted') return taskPermutation();
  const sources = new Uint32Array(IMAGE);
  for (let p = 0; p < IMAGE; p++) {
    const r = Math.floor(p / SIDE);
    const c = p % SIDE;
    sources[p] = task === 'rotated' ? (SIDE - 1 - c) * SIDE + r : p;
  }
  return sources;
}

/** Whether `task` feeds the net a digit's pixels somewhere else than where the digit has them. */
export const movesPixels = (task: TaskName): boolean => task === 'permuted' || task === 'rotated';

/**
 * Per-input values (a 784-input map: surviving connections per input) put back where each
 * input's pixel sits in the digit: what a mask over the inputs of `task` keeps of the digit.
 */
export function inDigitLayout(perInput: ArrayLike<number>, task: TaskName): Float64Array {
  const sources = inputSources(task);
  const out = new Float64Array(IMAGE);
  for (let p = 0; p < IMAGE; p++) out[sources[p]!] = perInput[p]!;
  return out;
}

/**
 * The images of `task`: MNIST's own bytes (no copy), or a transformed copy: the pixels in the
 * permuted task's fixed order, each digit turned a quarter turn clockwise, or 255 − p.
 */
export function taskImages(images: Uint8Array, task: TaskName): Uint8Array {
  if (task === 'mnist') return images;
  const out = new Uint8Array(images.length);
  const n = images.length / IMAGE;
  const sources = inputSources(task);
  for (let e = 0; e < n; e++) {
    const at = e * IMAGE;
    for (let p = 0; p < IMAGE; p++) {
      const v = images[at + sources[p]!]!;
      out[at + p] = task === 'inverted' ? 255 - v : v;
    }
  }
  return out;
}
