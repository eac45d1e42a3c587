/**
 * The tasks and input encodings of issue 16 on real MNIST: permuted, rotated and inverted digits
 * made from MNIST's own bytes, and the three ways a byte becomes an input, the same for a
 * training batch and for one image drawn in the lab.
 */
import { describe, expect, it } from 'vitest';
import { loadMnistFromDisk } from '../node-host/node-mnist';
import { DEFAULT_CONFIG, INPUTS, type InputsName, TASKS } from './config';
import { CLASSES, IMAGE_SIZE, encodeImage, fillBatch, splitMnist } from './data';
import { inDigitLayout, movesPixels, taskImages, taskPermutation } from './tasks';

const files = loadMnistFromDisk();
const data = (patch: Partial<typeof DEFAULT_CONFIG.data>) =>
  splitMnist(files, {
    ...DEFAULT_CONFIG.data,
    trainSize: 600,
    validationSize: 100,
    testSize: 100,
    ...patch,
  });
const image = (bytes: Uint8Array, e: number) =>
  bytes.subarray(e * IMAGE_SIZE, (e + 1) * IMAGE_SIZE);

describe('tasks made from MNIST', () => {
  const mnist = data({});
  it('puts every input back where its pixel sits in the digit (Figure 6’s digit layout)', () => {
    const digit = image(files.testImages, 7);
    for (const task of TASKS) {
      const seen = image(taskImages(files.testImages.subarray(0, 8 * IMAGE_SIZE), task), 7);
      const back = inDigitLayout(seen, task);
      expect([...back]).toEqual([...digit].map((v) => (task === 'inverted' ? 255 - v : v)));
      // Only permuted and rotated digits move pixels: a map over their inputs is not the digit's.
      expect(movesPixels(task)).toBe([...seen].some((v, p) => v !== back[p]));
    }
  });

  it('mnist is MNIST itself, no copy', () => {
    expect(mnist.train.images.buffer).toBe(files.trainImages.buffer);
  });

  it('permuted: one fixed order of the pixels (whatever the run), the same for every image', () => {
    const order = taskPermutation();
    expect([...order].sort((a, b) => a - b)).toEqual(
      Array.from({ length: IMAGE_SIZE }, (_, i) => i),
    );
    expect(taskPermutation()).toEqual(order);
    const permuted = data({ task: 'permuted' });
    for (const e of [0, 17, 599]) {
      const a = image(mnist.train.images, e);
      const b = image(permuted.train.images, e);
      for (let p = 0; p < IMAGE_SIZE; p++) expect(b[p]).toBe(a[order[p]!]);
    }
    expect(permuted.train.labels).toEqual(mnist.train.labels);
    expect(data({ task: 'permuted' }).test.images).toEqual(permuted.test.images);
  });

  it('rotated: a quarter turn clockwise, four of them the digit again; the top row comes from the left column', () => {
    let bytes = files.testImages.subarray(0, 5 * IMAGE_SIZE);
    const once = taskImages(bytes, 'rotated');
    // Output row 0, column c shows input row 27 − c, column 0: the left column, read bottom-up.
    for (let c = 0; c < 28; c++) expect(once[c]).toBe(bytes[(27 - c) * 28]);
    for (let i = 0; i < 4; i++) bytes = taskImages(bytes, 'rotated');
    expect(bytes).toEqual(files.testImages.subarray(0, 5 * IMAGE_SIZE));
    expect(once).not.toEqual(files.testImages.subarray(0, 5 * IMAGE_SIZE));
  });

  it('inverted: 255 − p, ink and paper swapped', () => {
    const inv = data({ task: 'inverted' });
    const a = image(mnist.validation.images, 3);
    const b = image(inv.validation.images, 3);
    for (let p = 0; p < IMAGE_SIZE; p++) expect(b[p]).toBe(255 - a[p]!);
  });
});

describe('inputs: how a byte becomes an input', () => {
  const row = (inputs: InputsName, e: number) => {
    const d = data({ inputs });
    const x = new Float32Array(IMAGE_SIZE);
    fillBatch(d.train, [e], x, new Float32Array(CLASSES));
    return { x, bytes: image(d.train.images, e) };
  };

  it('meanstd: (p/255 − 0.1307)/0.3081; unit: p/255', () => {
    const m = row('meanstd', 5);
    const u = row('unit', 5);
    for (let p = 0; p < IMAGE_SIZE; p += 7) {
      expect(m.x[p]).toBe(Math.fround((m.bytes[p]! / 255 - 0.1307) / 0.3081));
      expect(u.x[p]).toBe(Math.fround(u.bytes[p]! / 255));
    }
  });

  it('l2: every image a unit vector, pixels in proportion to their bytes', () => {
    for (const e of [0, 1, 2, 300]) {
      const { x, bytes } = row('l2', e);
      const norm = Math.hypot(...x);
      expect(norm).toBeCloseTo(1, 5);
      const p = bytes.findIndex((b) => b > 100);
      const q = bytes.findIndex((b) => b > 0 && b < 100);
      expect(x[p]! / x[q]!).toBeCloseTo(bytes[p]! / bytes[q]!, 5);
    }
  });

  it('encodeImage gives a drawn digit exactly the inputs a training image gets, in every encoding', () => {
    for (const inputs of INPUTS) {
      const { x, bytes } = row(inputs, 42);
      const out = new Float32Array(IMAGE_SIZE);
      encodeImage(bytes, inputs, out);
      expect(out).toEqual(x);
    }
    const blank = new Float32Array(IMAGE_SIZE).fill(9);
    encodeImage(new Uint8Array(IMAGE_SIZE), 'l2', blank);
    expect(blank.every((v) => v === 0)).toBe(true);
    expect(() => encodeImage(new Uint8Array(10), 'unit', blank)).toThrow(/784 bytes/);
  });
});
