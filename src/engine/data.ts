/**
 * MNIST as bytes. The worker (fetch) and the CLI (fs) each supply the raw files; everything
 * from there on is here, the same in both. Pixels stay as bytes in memory and are normalised
 * per batch, into reused buffers.
 */
import type { DataConfig, InputsName } from './config';
import { Rng } from './rng';
import { taskImages } from './tasks';

export const IMAGE_SIZE = 784;
export const CLASSES = 10;

/**
 * Images (n × 784 bytes) and labels (n bytes) of one split, and how its bytes become inputs:
 * input = table[byte] · scale[image] (no scale: table[byte]).
 */
export interface Split {
  images: Uint8Array;
  labels: Uint8Array;
  size: number;
  /** Byte → input value, 256 entries (the config's `data.inputs`). */
  table: Float32Array;
  /** Per image, a factor every input of it is multiplied by (per-image L2), or null. */
  scale: Float32Array | null;
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

function split(
  images: Uint8Array,
  labels: Uint8Array,
  from: number,
  size: number,
  inputs: InputsName,
): Split {
  const own = images.subarray(from * IMAGE_SIZE, (from + size) * IMAGE_SIZE);
  return {
    images: own,
    labels: labels.subarray(from, from + size),
    size,
    table: pixelTable(inputs),
    scale: inputs === 'l2' ? l2Scales(own, size) : null,
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
 * validate (never trained on), the first `testSize` test images test; views of the files for
 * MNIST itself, of a transformed copy for the other tasks (tasks.ts). Inputs as `c.inputs` says.
 */
export function splitMnist(f: MnistFiles, c: DataConfig): Dataset {
  const total = f.trainLabels.length;
  const train = taskImages(f.trainImages, c.task);
  const test = taskImages(f.testImages, c.task);
  return {
    train: split(train, f.trainLabels, 0, c.trainSize, c.inputs),
    validation: split(train, f.trainLabels, total - c.validationSize, c.validationSize, c.inputs),
    test: split(test, f.testLabels, 0, c.testSize, c.inputs),
  };
}

/** MNIST's mean and deviation of p/255 over its training pixels (open_lth's normalisation). */
export const PIXEL_MEAN = 0.1307;
export const PIXEL_STD = 0.3081;
const TABLES: Record<InputsName, Float32Array> = {
  meanstd: Float32Array.from({ length: 256 }, (_, p) => (p / 255 - PIXEL_MEAN) / PIXEL_STD),
  unit: Float32Array.from({ length: 256 }, (_, p) => p / 255),
  // Per-image L2: the byte itself, times the image's 1/‖p‖₂ (l2Scales).
  l2: Float32Array.from({ length: 256 }, (_, p) => p),
};

/**
 * Byte → input value for `inputs`, a 256-entry table so that encoding a batch is one lookup per
 * pixel (and for per-image L2 one multiply by the image's scale). A copy: computes elsewhere use
 * the same floats.
 */
export function pixelTable(inputs: InputsName = 'meanstd'): Float32Array {
  return TABLES[inputs].slice();
}

/** 1/‖p‖₂ of each image's bytes (0 for a blank image), as float32. */
function l2Scales(images: Uint8Array, size: number): Float32Array {
  const out = new Float32Array(size);
  for (let e = 0; e < size; e++)
    out[e] = l2Scale(images.subarray(e * IMAGE_SIZE, (e + 1) * IMAGE_SIZE));
  return out;
}

function l2Scale(pixels: Uint8Array): number {
  let sum = 0;
  for (let p = 0; p < IMAGE_SIZE; p++) sum += pixels[p]! * pixels[p]!;
  return sum === 0 ? 0 : Math.fround(1 / Math.sqrt(sum));
}

/**
 * One image (784 bytes, MNIST's format) as the inputs a network trained with `inputs` saw, into
 * `out` (784 floats): for a digit drawn in the lab, exactly as for a training image.
 */
export function encodeImage(pixels: Uint8Array, inputs: InputsName, out: Float32Array): void {
  if (pixels.length !== IMAGE_SIZE) throw new RangeError(`an image is ${IMAGE_SIZE} bytes`);
  const table = TABLES[inputs];
  const scale = inputs === 'l2' ? l2Scale(pixels) : 1;
  for (let p = 0; p < IMAGE_SIZE; p++)
    out[p] = scale === 1 ? table[pixels[p]!]! : Math.fround(table[pixels[p]!]! * scale);
}

/** Writes examples `indices` of `s` into x (n × 784, encoded) and y (n × 10, one-hot). */
export function fillBatch(
  s: Split,
  indices: ArrayLike<number>,
  x: Float32Array,
  y: Float32Array,
): void {
  y.fill(0);
  const { table, scale } = s;
  for (let b = 0; b < indices.length; b++) {
    const e = indices[b]!;
    const src = e * IMAGE_SIZE;
    const dst = b * IMAGE_SIZE;
    if (scale) {
      const k = scale[e]!;
      for (let p = 0; p < IMAGE_SIZE; p++) x[dst + p] = Math.fround(table[s.images[src + p]!]! * k);
    } else for (let p = 0; p < IMAGE_SIZE; p++) x[dst + p] = table[s.images[src + p]!]!;
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
