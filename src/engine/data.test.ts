import { describe, expect, it } from 'vitest';
import { loadMnistFromDisk } from '../node-host/node-mnist';
import {
  BatchOrder,
  CLASSES,
  IMAGE_SIZE,
  PIXEL_MEAN,
  PIXEL_STD,
  type Split,
  checkMnistFiles,
  fillBatch,
  pixelTable,
  splitMnist,
} from './data';

const epochOf = (order: BatchOrder, epoch: number) => {
  const out: number[] = [];
  for (let b = 0; b < order.batchesPerEpoch; b++)
    out.push(...order.indices(epoch * order.batchesPerEpoch + b));
  return out;
};

describe('BatchOrder', () => {
  it('cuts each epoch into floor(n / b) full batches and drops the ragged remainder', () => {
    const order = new BatchOrder(103, 10, 0);
    expect(order.batchesPerEpoch).toBe(10);
    for (let it = 0; it < 25; it++) expect(order.indices(it).length).toBe(10);
    expect(new BatchOrder(100, 10, 0).batchesPerEpoch).toBe(10);
    expect(new BatchOrder(55000, 60, 0).batchesPerEpoch).toBe(916);
    expect(() => new BatchOrder(5, 6, 0)).toThrow(RangeError);
  });

  it('covers distinct examples within an epoch, in a fresh order each epoch', () => {
    const order = new BatchOrder(103, 10, 0);
    const e0 = epochOf(order, 0);
    const e1 = epochOf(order, 1);
    for (const e of [e0, e1]) {
      expect(e.length).toBe(100);
      expect(new Set(e).size).toBe(100);
      expect(e.every((i) => Number.isInteger(i) && i >= 0 && i < 103)).toBe(true);
    }
    expect(e1).not.toEqual(e0);
    // Shuffled, not in file order.
    expect(e0).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    // Over several epochs every example is eventually seen (the dropped remainder changes).
    const seen = new Set<number>();
    for (let e = 0; e < 10; e++) epochOf(order, e).forEach((i) => seen.add(i));
    expect(seen.size).toBe(103);
  });

  it('gives the same order for the same seed and a different one for another seed', () => {
    expect(epochOf(new BatchOrder(500, 32, 4), 2)).toEqual(epochOf(new BatchOrder(500, 32, 4), 2));
    expect(epochOf(new BatchOrder(500, 32, 4), 0)).not.toEqual(
      epochOf(new BatchOrder(500, 32, 5), 0),
    );
  });

  it('random access indices(i) equals the sequential order', () => {
    const seq = new BatchOrder(230, 16, 3);
    const expected: number[][] = [];
    for (let it = 0; it < 60; it++) expected.push(Array.from(seq.indices(it)));
    const random = new BatchOrder(230, 16, 3);
    for (const it of [59, 0, 31, 14, 45, 13, 28, 0, 59, 1])
      expect(Array.from(random.indices(it))).toEqual(expected[it]);
  });

  it('a batch already handed out is not changed by later calls', () => {
    const order = new BatchOrder(50, 10, 1);
    const first = order.indices(0);
    const copy = Array.from(first);
    order.indices(7); // another epoch
    order.indices(2);
    expect(Array.from(first)).toEqual(copy);
  });
});

describe('fillBatch', () => {
  const n = 3;
  const images = new Uint8Array(n * IMAGE_SIZE);
  for (let e = 0; e < n; e++)
    for (let p = 0; p < IMAGE_SIZE; p++) images[e * IMAGE_SIZE + p] = (p * 7 + e * 31) % 256;
  const split: Split = {
    images,
    labels: Uint8Array.from([3, 9, 0]),
    size: n,
    table: pixelTable(),
    scale: null,
  };
  const norm = (p: number) => (p / 255 - 0.1307) / 0.3081;

  it('normalises pixels with (p/255 − 0.1307)/0.3081 and writes one-hot labels', () => {
    expect(PIXEL_MEAN).toBe(0.1307);
    expect(PIXEL_STD).toBe(0.3081);
    const x = new Float32Array(2 * IMAGE_SIZE).fill(Number.NaN);
    const y = new Float32Array(2 * CLASSES).fill(7); // stale contents must be cleared
    fillBatch(split, [2, 0], x, y);
    for (let b = 0; b < 2; b++) {
      const e = [2, 0][b]!;
      for (let p = 0; p < IMAGE_SIZE; p++)
        expect(x[b * IMAGE_SIZE + p]).toBe(Math.fround(norm(images[e * IMAGE_SIZE + p]!)));
    }
    expect(Array.from(y)).toEqual([
      1, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* */ 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
    ]);
    // Spot values: black and white pixels.
    const px = new Float32Array(IMAGE_SIZE);
    const black: Split = {
      images: new Uint8Array(IMAGE_SIZE),
      labels: Uint8Array.from([1]),
      size: 1,
      table: pixelTable(),
      scale: null,
    };
    fillBatch(black, [0], px, new Float32Array(CLASSES));
    expect(px[0]).toBeCloseTo(-0.424212917, 6);
    const white: Split = {
      images: new Uint8Array(IMAGE_SIZE).fill(255),
      labels: Uint8Array.from([1]),
      size: 1,
      table: pixelTable(),
      scale: null,
    };
    fillBatch(white, [0], px, new Float32Array(CLASSES));
    expect(px[0]).toBeCloseTo(2.82148653, 6);
  });
});

describe('MNIST on disk', () => {
  const files = loadMnistFromDisk();

  it('splitMnist gives the paper’s split: 55000 / the last 5000 of training / 10000 test', () => {
    const d = splitMnist(files, {
      trainSize: 55000,
      validationSize: 5000,
      testSize: 10000,
      task: 'mnist',
      inputs: 'meanstd',
    });
    expect([d.train.size, d.validation.size, d.test.size]).toEqual([55000, 5000, 10000]);
    expect(d.train.images.length).toBe(55000 * IMAGE_SIZE);
    expect(d.validation.images.length).toBe(5000 * IMAGE_SIZE);
    expect(d.test.images.length).toBe(10000 * IMAGE_SIZE);
    expect([d.train.labels.length, d.validation.labels.length, d.test.labels.length]).toEqual([
      55000, 5000, 10000,
    ]);
    // Validation is the last 5000 training images, byte for byte.
    expect(
      Buffer.from(d.validation.images).equals(
        Buffer.from(files.trainImages.subarray(55000 * IMAGE_SIZE)),
      ),
    ).toBe(true);
    expect(
      Buffer.from(d.validation.labels).equals(Buffer.from(files.trainLabels.subarray(55000))),
    ).toBe(true);
    expect(
      Buffer.from(d.train.images).equals(
        Buffer.from(files.trainImages.subarray(0, 55000 * IMAGE_SIZE)),
      ),
    ).toBe(true);
    expect(Buffer.from(d.test.labels).equals(Buffer.from(files.testLabels))).toBe(true);
  });

  it('takes validation from the end even when training uses fewer examples', () => {
    const d = splitMnist(files, {
      trainSize: 600,
      validationSize: 200,
      testSize: 300,
      task: 'mnist',
      inputs: 'meanstd',
    });
    expect([d.train.size, d.validation.size, d.test.size]).toEqual([600, 200, 300]);
    expect(
      Buffer.from(d.validation.labels).equals(Buffer.from(files.trainLabels.subarray(59800))),
    ).toBe(true);
    expect(
      Buffer.from(d.validation.images).equals(
        Buffer.from(files.trainImages.subarray(59800 * IMAGE_SIZE)),
      ),
    ).toBe(true);
    expect(
      Buffer.from(d.train.labels).equals(Buffer.from(files.trainLabels.subarray(0, 600))),
    ).toBe(true);
    expect(
      Buffer.from(d.test.images).equals(
        Buffer.from(files.testImages.subarray(0, 300 * IMAGE_SIZE)),
      ),
    ).toBe(true);
  });

  it('the files are MNIST: digit labels, every class present', () => {
    expect(() => checkMnistFiles(files)).not.toThrow();
    expect(new Set(files.trainLabels).size).toBe(10);
    expect(new Set(files.testLabels).size).toBe(10);
  });

  it('checkMnistFiles names a file of the wrong size or a label that is not a digit', () => {
    expect(() => checkMnistFiles({ ...files, trainLabels: files.trainLabels.subarray(1) })).toThrow(
      /train labels: 59999 bytes, expected 60000/,
    );
    expect(() =>
      checkMnistFiles({ ...files, testImages: files.testImages.subarray(0, 784) }),
    ).toThrow(/test images/);
    const bad = files.testLabels.slice();
    bad[17] = 10;
    expect(() => checkMnistFiles({ ...files, testLabels: bad })).toThrow(/label 10 at 17/);
  });
});
