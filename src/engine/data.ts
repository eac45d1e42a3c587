/**
 * MNIST as bytes. The worker (fetch) and the CLI (fs) each supply the raw files; everything
 * from there on is here, the same in both. Pixels stay as bytes in memory and are normalised
 * per batch, into reused buffers.
 */
import type { DataConfig } from './config';
import { Rng } from './rng';

export const IMAGE_SIZE = 784;
export const CLASSES = 10;

/** Images (n × 784 bytes) and labels (n bytes) of one split. */
export interface Split {
  images: Uint8Array;
  labels: Uint8Array;
  size: number;
}

/** MNIST's two files as shipped: 60k training and 10k test examples. */
export interface MnistFiles {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

export interface Dataset {
  train: Split;
  validation: Split;
  test: Split;
}

function split(images: Uint8Array, labels: Uint8Array, from: number, size: number): Split {
  return {
    images: images.subarray(from * IMAGE_SIZE, (from + size) * IMAGE_SIZE),
    labels: labels.subarray(from, from + size),
    size,
  };
}

/** Checks the files' sizes and labels; throws with the file named if they are not MNIST. */
export function checkMnistFiles(f: MnistFiles): void {
  const check = (name: string, bytes: Uint8Array, expected: number) => {
    if (bytes.length !== expected)
      throw new Error(`MNIST ${name}: ${bytes.length} bytes, expected ${expected}`);
  };
  check('train images', f.trainImages, 60000 * IMAGE_SIZE);
  check('train labels', f.trainLabels, 60000);
  check('test images', f.testImages, 10000 * IMAGE_SIZE);
  check('test labels', f.testLabels, 10000);
  for (const labels of [f.trainLabels, f.testLabels]) {
    for (let i = 0; i < labels.length; i++)
      if (labels[i]! >= CLASSES) throw new Error(`MNIST label ${labels[i]} at ${i} is not a digit`);
  }
}

/**
 * The paper's split: the first `trainSize` training images train, the LAST `validationSize`
 * validate (never trained on), the first `testSize` test images test. No copies: views.
 */
export function splitMnist(f: MnistFiles, c: DataConfig): Dataset {
  const total = f.trainLabels.length;
  return {
    train: split(f.trainImages, f.trainLabels, 0, c.trainSize),
    validation: split(f.trainImages, f.trainLabels, total - c.validationSize, c.validationSize),
    test: split(f.testImages, f.testLabels, 0, c.testSize),
  };
}

/**
 * Byte → input value: x = (p/255 − μ)/σ with MNIST's mean and deviation (as open_lth), a
 * 256-entry table so normalising a batch is one lookup per pixel.
 */
export const PIXEL_MEAN = 0.1307;
export const PIXEL_STD = 0.3081;
const NORMALISE = Float32Array.from({ length: 256 }, (_, p) => (p / 255 - PIXEL_MEAN) / PIXEL_STD);

/**
 * The normalised input value of each byte 0..255 (a copy: computes elsewhere use the same floats).
 */
export function pixelTable(): Float32Array {
  return NORMALISE.slice();
}

/** Writes examples `indices` of `s` into x (n × 784, normalised) and y (n × 10, one-hot). */
export function fillBatch(
  s: Split,
  indices: ArrayLike<number>,
  x: Float32Array,
  y: Float32Array,
): void {
  y.fill(0);
  for (let b = 0; b < indices.length; b++) {
    const e = indices[b]!;
    const src = e * IMAGE_SIZE;
    const dst = b * IMAGE_SIZE;
    for (let p = 0; p < IMAGE_SIZE; p++) x[dst + p] = NORMALISE[s.images[src + p]!]!;
    y[b * CLASSES + s.labels[e]!] = 1;
  }
}

/**
 * The training data order: each epoch a fresh permutation drawn from (seed, "data", epoch), cut
 * into full batches; the ragged remainder of an epoch is dropped so every step has the same
 * shape. `indices(iteration)` is random access, so a round can start (or continue) anywhere.
 */
export class BatchOrder {
  readonly batchesPerEpoch: number;
  private epoch = -1;
  private order: Uint32Array = new Uint32Array(0);

  constructor(
    readonly size: number,
    readonly batchSize: number,
    readonly seed: number,
  ) {
    this.batchesPerEpoch = Math.floor(size / batchSize);
    if (this.batchesPerEpoch < 1)
      throw new RangeError(`batch size ${batchSize} exceeds the ${size} training examples`);
  }

  indices(iteration: number): Uint32Array {
    const epoch = Math.floor(iteration / this.batchesPerEpoch);
    if (epoch !== this.epoch) {
      this.order = new Rng(this.seed, 'data', epoch).permutation(this.size);
      this.epoch = epoch;
    }
    const start = (iteration % this.batchesPerEpoch) * this.batchSize;
    return this.order.subarray(start, start + this.batchSize);
  }
}
